-- Headless Neovim as a real LSP client of ai-blame (DISTRIBUTION.md Appendix B): attaches the server to a file,
-- then prints the hover at a line, the code lenses resolved by request and by Neovim's own codelens module, and
-- the transcript command's answer. Works on 0.7 (start_client) and 0.8+ (vim.lsp.start).
local SERVER = os.getenv("AI_BLAME_SERVER")
local NODE = os.getenv("AI_BLAME_NODE")
local FILE = os.getenv("AI_BLAME_FILE")
local ROOT = os.getenv("AI_BLAME_ROOT")
local LINE = tonumber(os.getenv("AI_BLAME_LINE"))
local TIMEOUT = 20000

local function out(s) io.stdout:write(s .. "\n") end
local function oneline(s) return (s:gsub("\n", "\\n")) end
local new_api = vim.fn.has("nvim-0.11") == 1

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(FILE))
  local buf = vim.api.nvim_get_current_buf()
  local config = {
    name = "ai-blame",
    cmd = { NODE, SERVER, "--stdio" },
    root_dir = ROOT,
    init_options = { hover = { detail = "normal" } },
  }
  local id
  if vim.lsp.start then
    id = vim.lsp.start(config, { bufnr = buf })
  else
    id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, id)
  end
  local ready = vim.wait(TIMEOUT, function()
    local c = vim.lsp.get_client_by_id(id)
    return c ~= nil and c.initialized == true
  end, 20)
  local v = vim.version()
  out(("nvim %d.%d.%d initialized=%s"):format(v.major, v.minor, v.patch, tostring(ready)))
  local client = vim.lsp.get_client_by_id(id)
  local function request_sync(method, params)
    if new_api then return client:request_sync(method, params, TIMEOUT, buf) end
    return client.request_sync(method, params, TIMEOUT, buf)
  end

  vim.api.nvim_win_set_cursor(0, { LINE, 0 })
  local params = new_api and vim.lsp.util.make_position_params(0, client.offset_encoding) or vim.lsp.util.make_position_params()
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, TIMEOUT) or {}) do
    if r.result then out("HOVER: " .. oneline(r.result.contents.value)) end
    if r.err then out("HOVER-ERROR: " .. vim.inspect(r.err)) end
  end

  local first_args
  local lens_params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/codeLens", lens_params, TIMEOUT) or {}) do
    for _, lens in ipairs(r.result or {}) do
      local resolved = request_sync("codeLens/resolve", lens)
      local command = resolved and resolved.result and resolved.result.command
      out(("CODELENS line %d: %s"):format(lens.range.start.line + 1, command and command.title or "?"))
      if command and not first_args then first_args = command.arguments end
    end
  end

  -- Neovim's own code lens display path (it resolves lenses itself and shows them as virtual text).
  local ok_refresh = pcall(vim.lsp.codelens.refresh)
  if ok_refresh and vim.lsp.codelens.get then
    vim.wait(TIMEOUT, function()
      local lenses = vim.lsp.codelens.get(buf)
      if #lenses == 0 then return false end
      for _, l in ipairs(lenses) do if not l.command or l.command.title == "" then return false end end
      return true
    end, 20)
    local lenses = vim.lsp.codelens.get(buf)
    table.sort(lenses, function(a, b) return a.range.start.line < b.range.start.line end)
    for _, l in ipairs(lenses) do
      out(("NVIM-CODELENS line %d: %s"):format(l.range.start.line + 1, l.command and l.command.title or "?"))
    end
  end

  if first_args then
    local r = request_sync("workspace/executeCommand", { command = "aiBlame.showTranscript", arguments = first_args })
    local result = r and r.result
    if result then
      local lines = vim.split(result.markdown, "\n", { plain = true })
      out(("EXEC: %s · line %s · %s"):format(result.title, tostring(result.line), lines[result.line or 1] or ""))
    else
      out("EXEC-ERROR: " .. vim.inspect(r))
    end
  end
  vim.lsp.stop_client(id)
  out("RESULT: ok")
end

local ok, err = pcall(main)
if not ok then
  out("RESULT: error " .. tostring(err))
  vim.cmd("cquit 1")
else
  vim.cmd("qa!")
end
