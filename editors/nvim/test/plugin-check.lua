-- Headless check of the ai-blame Neovim plugin (tests/neovim-plugin.test.ts runs it on each Neovim it finds):
-- loads editors/nvim, lets its autocmds attach the server to a file of a project without `.git`, then prints the
-- root, the hover, the lenses Neovim shows, what `vim.lsp.codelens.run()` opens, what :AiBlameTranscript opens
-- and the :AiBlameFile split (and that a second :AiBlameFile closes it).
local PLUGIN = os.getenv("AI_BLAME_PLUGIN")
local FILE = os.getenv("AI_BLAME_FILE")
local LINE = tonumber(os.getenv("AI_BLAME_LINE"))
local TIMEOUT = 20000

local function out(s) io.stdout:write(s .. "\n") end
local function oneline(s) return (s:gsub("\n", "\\n")) end

local function main()
  vim.opt.rtp:append(PLUGIN)
  local ai_blame = require("ai_blame")
  ai_blame.setup({ cmd = { os.getenv("AI_BLAME_NODE"), os.getenv("AI_BLAME_SERVER"), "--stdio" } })
  vim.cmd("edit " .. vim.fn.fnameescape(FILE))
  local buf = vim.api.nvim_get_current_buf()
  local ready = vim.wait(TIMEOUT, function()
    local c = ai_blame.client(buf)
    return c ~= nil and c.initialized == true
  end, 20)
  local v = vim.version()
  out(("nvim %d.%d.%d attached=%s"):format(v.major, v.minor, v.patch, tostring(ready)))
  local client = ai_blame.client(buf)
  out("ROOT: " .. tostring(client.config.root_dir))

  vim.api.nvim_win_set_cursor(0, { LINE, 0 })
  local params = vim.fn.has("nvim-0.11") == 1 and vim.lsp.util.make_position_params(0, client.offset_encoding)
    or vim.lsp.util.make_position_params()
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, TIMEOUT) or {}) do
    if r.result then out("HOVER: " .. oneline(r.result.contents.value)) end
  end

  -- The plugin refreshes lenses on attach and BufEnter; wait until Neovim has resolved them.
  ai_blame.refresh_lenses(buf)
  vim.wait(TIMEOUT, function()
    local lenses = vim.lsp.codelens.get(buf)
    if #lenses == 0 then return false end
    for _, l in ipairs(lenses) do if not l.command or l.command.title == "" then return false end end
    return true
  end, 20)
  local lenses = vim.lsp.codelens.get(buf)
  table.sort(lenses, function(a, b) return a.range.start.line < b.range.start.line end)
  for _, l in ipairs(lenses) do out(("LENS line %d: %s"):format(l.range.start.line + 1, l.command.title)) end

  -- Running the lens opens the transcript through the plugin's client-side command.
  if lenses[1] then
    vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
    vim.lsp.codelens.run()
    vim.wait(TIMEOUT, function() return vim.api.nvim_get_current_buf() ~= buf end, 20)
    local at = vim.api.nvim_win_get_cursor(0)[1]
    out(("LENS-RUN: %s · %s"):format(vim.api.nvim_buf_get_name(0):match("ai%-blame://.*") or "?", vim.api.nvim_get_current_line()))
    out(("LENS-RUN-FILETYPE: %s line %d"):format(vim.bo.filetype, at))
    vim.cmd("close")
  end

  vim.api.nvim_win_set_cursor(0, { LINE, 0 })
  vim.cmd("AiBlameTranscript")
  out(("TRANSCRIPT: %s · %s"):format(vim.api.nvim_buf_get_name(0):match("ai%-blame://.*") or "?", vim.api.nvim_get_current_line()))
  vim.cmd("close")

  vim.cmd("AiBlameFile")
  local wins = vim.api.nvim_list_wins()
  out(("FILE-BLAME windows=%d"):format(#wins))
  for _, win in ipairs(wins) do
    local b = vim.api.nvim_win_get_buf(win)
    if b ~= buf then
      for i, row in ipairs(vim.api.nvim_buf_get_lines(b, 0, -1, false)) do out(("BLAME %d: %s"):format(i, row)) end
      out(("BLAME-SCROLLBIND: %s"):format(tostring(vim.wo[win].scrollbind)))
    end
  end
  vim.cmd("AiBlameFile")
  out(("FILE-BLAME-TOGGLED windows=%d"):format(#vim.api.nvim_list_wins()))
  out("RESULT: ok")
end

local ok, err = pcall(main)
if not ok then
  out("RESULT: error " .. tostring(err))
  vim.cmd("cquit 1")
else
  vim.cmd("qa!")
end
