-- ai-blame for Neovim 0.7 and later: starts the ai-blame language server for every file buffer (one client per
-- project root: the nearest folder holding `.git`, else the file's own folder), keeps code lenses fresh, and adds
-- :AiBlameTranscript (the session that wrote the cursor line, at that edit), :AiBlameFile (which AI edit wrote
-- each line, in a split beside the buffer, like :Git blame) and the client side of the lens command, so
-- `vim.lsp.codelens.run()` opens the transcript too. The server sends everything as data; nothing here runs it.
local M = {}

M.name = "ai_blame"
M.options = {
  cmd = { "ai-blame", "lsp", "--stdio" },
  -- initializationOptions: the settings of docs/editors.md, e.g. { hover = { detail = "full" } }.
  settings = {},
  -- Filetypes to attach to; nil attaches to every buffer that is a file on disk.
  filetypes = nil,
  -- Refresh code lenses on BufEnter, CursorHold and InsertLeave.
  codelens = true,
  timeout_ms = 10000,
}

local has_011 = vim.fn.has("nvim-0.11") == 1

-- 0.11 made client methods take `self` (client:request); older versions call them as fields (client.request).
local function call(client, method, ...)
  if has_011 then return client[method](client, ...) end
  return client[method](...)
end

--- The ai-blame client attached to `bufnr` (0 = current buffer), or nil.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = M.name })[1]
  end
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == M.name then return client end
  end
  return nil
end

--- The project root of a file: the nearest folder upward holding `.git` (a folder, or a file in worktrees), else
--- Neovim's working directory when the file is inside it, else the file's folder. Uses only functions that exist
--- on 0.7 (vim.fs arrived in 0.8).
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local found = vim.fn.finddir(".git", dir .. ";")
  if found == "" then found = vim.fn.findfile(".git", dir .. ";") end
  if found ~= "" then return vim.fn.fnamemodify(found, ":p:h:h") end
  local cwd = vim.fn.getcwd()
  if dir == cwd or dir:sub(1, #cwd + 1) == cwd .. "/" then return cwd end
  return dir
end

local started = {} -- root → client id (0.7, which has no vim.lsp.start to reuse clients)

--- Starts (or reuses) the client for `bufnr`'s project and attaches it.
function M.attach(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or vim.bo[bufnr].buftype ~= "" or vim.fn.filereadable(path) == 0 then return end
  local filetypes = M.options.filetypes
  if filetypes and not vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then return end
  if M.client(bufnr) then return end
  local root = M.root_dir(path)
  local config = {
    name = M.name,
    cmd = M.options.cmd,
    root_dir = root,
    init_options = M.options.settings,
    on_attach = function(_, attached) M.refresh_lenses(attached) end,
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = started[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    started[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

local function request(client, method, params, bufnr)
  local response = call(client, "request_sync", method, params, M.options.timeout_ms, bufnr)
  if not response then error(("ai-blame: %s timed out"):format(method)) end
  if response.err then error(("ai-blame: %s: %s"):format(method, response.err.message or vim.inspect(response.err))) end
  return response.result
end

--- Opens a transcript result ({title, markdown, line}) in a scratch markdown buffer in a split, at `line`.
function M.show_transcript(result)
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(result.markdown, "\n", { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  pcall(vim.api.nvim_buf_set_name, buf, "ai-blame://" .. result.title)
  if result.line then vim.api.nvim_win_set_cursor(0, { result.line, 0 }) vim.cmd("normal! zt") end
  return buf
end

local function open_transcript(client, args, bufnr)
  local result = request(client, "workspace/executeCommand", { command = "aiBlame.showTranscript", arguments = { args } }, bufnr)
  if result then M.show_transcript(result) end
end

--- :AiBlameTranscript — the transcript of the session that wrote the cursor line, opened at that edit.
function M.transcript()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then return vim.notify("ai-blame is not attached to this buffer", vim.log.levels.WARN) end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local info = request(client, "aiBlame/lineInfo", { uri = vim.uri_from_bufnr(bufnr), line = line }, bufnr)
  if not info or info.owner == vim.NIL or not info.owner then
    return vim.notify("No AI trace explains this line", vim.log.levels.INFO)
  end
  local owner = info.owner
  open_transcript(client, { sessionId = owner.sessionId, toolCallId = owner.toolCallId, traceFile = owner.traceFile }, bufnr)
end

local function short_model(model)
  return (model:gsub("%-[12][09]%d%d%d%d%d%d$", ""))
end

--- The blame column of a file: one row per line, "model  date  session" for AI lines, blank for the rest.
function M.blame_rows(info)
  local rows = {}
  for i = 1, info.totalLines do rows[i] = "" end
  local width = 0
  for _, block in ipairs(info.blocks) do
    local owner = block.owner
    if owner and owner ~= vim.NIL then
      local row = ("%s  %s  %s"):format(short_model(owner.model), owner.timestamp:sub(1, 10), owner.sessionId:sub(1, 8))
      width = math.max(width, #row)
      for line = block.start, block["end"] do rows[line] = row end
    end
  end
  return rows, width
end

--- :AiBlameFile — toggles a split left of the buffer that names the AI edit of each line, scrolling with it.
function M.file_blame()
  local source_win = vim.api.nvim_get_current_win()
  local bufnr = vim.api.nvim_get_current_buf()
  local name = "ai-blame://blame/" .. vim.api.nvim_buf_get_name(bufnr)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_buf_get_name(vim.api.nvim_win_get_buf(win)) == name then
      vim.api.nvim_win_close(win, true)
      vim.wo[source_win].scrollbind = false
      vim.wo[source_win].cursorbind = false
      return nil
    end
  end
  local client = M.client(bufnr)
  if not client then return vim.notify("ai-blame is not attached to this buffer", vim.log.levels.WARN) end
  local info = request(client, "aiBlame/fileInfo", { uri = vim.uri_from_bufnr(bufnr) }, bufnr)
  local rows, width = M.blame_rows(info)
  local top = vim.fn.line("w0")
  local cursor = vim.api.nvim_win_get_cursor(source_win)
  vim.cmd("leftabove vnew")
  local blame_buf = vim.api.nvim_get_current_buf()
  vim.bo[blame_buf].buftype = "nofile"
  vim.bo[blame_buf].bufhidden = "wipe"
  vim.bo[blame_buf].swapfile = false
  vim.api.nvim_buf_set_lines(blame_buf, 0, -1, false, rows)
  vim.bo[blame_buf].modifiable = false
  pcall(vim.api.nvim_buf_set_name, blame_buf, name)
  vim.api.nvim_win_set_width(0, math.max(width, 12) + 1)
  for _, win in ipairs({ vim.api.nvim_get_current_win(), source_win }) do
    vim.wo[win].scrollbind = true
    vim.wo[win].cursorbind = true
  end
  vim.wo.wrap = false
  vim.wo.number = false
  vim.wo.relativenumber = false
  vim.fn.winrestview({ topline = top })
  vim.api.nvim_win_set_cursor(0, { math.min(cursor[1], #rows), 0 })
  vim.api.nvim_set_current_win(source_win)
  return blame_buf
end

--- Refreshes the code lenses of `bufnr` when ai-blame is attached to it.
function M.refresh_lenses(bufnr)
  if M.options.codelens and M.client(bufnr) then pcall(vim.lsp.codelens.refresh, has_011 and { bufnr = bufnr } or nil) end
end

function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", M.options, opts or {})
  -- The lens command: Neovim runs a client-side handler before asking the server, so the transcript opens here.
  vim.lsp.commands["aiBlame.showTranscript"] = function(command, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client then open_transcript(client, command.arguments[1], ctx.bufnr) end
  end
  vim.api.nvim_create_user_command("AiBlameTranscript", M.transcript, { desc = "ai-blame: transcript of this line's AI edit" })
  vim.api.nvim_create_user_command("AiBlameFile", M.file_blame, { desc = "ai-blame: toggle the file's AI blame split" })
  local group = vim.api.nvim_create_augroup("ai_blame", { clear = true })
  vim.api.nvim_create_autocmd({ "BufReadPost", "FileType" }, {
    group = group,
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_autocmd({ "BufEnter", "CursorHold", "InsertLeave" }, {
    group = group,
    callback = function(args) M.refresh_lenses(args.buf) end,
  })
  -- Buffers already open when the plugin loads (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then M.attach(bufnr) end
  end
end

return M
