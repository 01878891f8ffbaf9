-- Runs one Lua snippet of docs/editors.md as a user's init.lua would (tests/neovim-docs.test.ts extracts them):
-- with filetype detection on, sources the snippet (or, for the lazy.nvim spec, calls its `config` with the checkout
-- as `plugin.dir`), opens a file, waits for the `ai_blame` client to attach and prints its hover at a line.
local SNIPPET = os.getenv("AI_BLAME_SNIPPET")
local KIND = os.getenv("AI_BLAME_SNIPPET_KIND")
local FILE = os.getenv("AI_BLAME_FILE")
local LINE = tonumber(os.getenv("AI_BLAME_LINE"))
local TIMEOUT = 20000

local function out(s) io.stdout:write(s .. "\n") end

local function attached(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf, name = "ai_blame" })[1] end
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do if c.name == "ai_blame" then return c end end
end

local function main()
  vim.cmd("filetype on")
  if KIND == "lazy" then
    local spec = dofile(SNIPPET)
    spec.config({ dir = os.getenv("AI_BLAME_REPO") })
  else
    vim.cmd("luafile " .. vim.fn.fnameescape(SNIPPET))
  end
  vim.cmd("edit " .. vim.fn.fnameescape(FILE))
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(TIMEOUT, function() local c = attached(buf); return c ~= nil and c.initialized == true end, 20)
  out("ATTACHED: " .. tostring(ok))
  local client = attached(buf)
  vim.api.nvim_win_set_cursor(0, { LINE, 0 })
  local params = vim.fn.has("nvim-0.11") == 1 and vim.lsp.util.make_position_params(0, client.offset_encoding)
    or vim.lsp.util.make_position_params()
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, TIMEOUT) or {}) do
    if r.result then out("HOVER: " .. r.result.contents.value:gsub("\n", "\\n")) end
  end
  out("RESULT: ok")
end

local ok, err = pcall(main)
if not ok then
  out("RESULT: error " .. tostring(err))
  vim.cmd("cquit 1")
else
  vim.cmd("qa!")
end
