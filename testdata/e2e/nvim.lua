-- Drives nginxls through Neovim 0.7's own LSP client (vim.lsp.start_client,
-- the diagnostic, hover and code-action machinery).
--
-- Run by lsp/e2e_test.go as
--   NGINXLS=bin/nginxls NGINXLS_E2E_FILE=nginx.conf nvim --headless --clean -u nvim.lua
-- It prints one line per check, `ok NAME` or `not ok NAME: why`, plus
-- `diag PHASE CODE L:C-L:C TEXT` for every diagnostic (columns in UTF-16
-- units, converted back from Neovim's byte columns; TEXT is what the range
-- covers in the buffer) and exits non-zero on any failure.

local server = os.getenv('NGINXLS')
local file = os.getenv('NGINXLS_E2E_FILE')
local trace = os.getenv('NGINXLS_TRACE') -- optional: the server's --trace-file
local failures = 0

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local function check(name, ok, why)
  if ok then
    out('ok ' .. name)
  else
    failures = failures + 1
    out('not ok ' .. name .. ': ' .. tostring(why))
  end
  return ok
end

local function finish()
  out(failures == 0 and 'done' or ('failed ' .. failures))
  vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
end

-- Prints the buffer's diagnostics in a stable order.
local function report(bufnr, phase)
  local ds = vim.diagnostic.get(bufnr)
  table.sort(ds, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(ds) do
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] or ''
    local end_line = vim.api.nvim_buf_get_lines(bufnr, d.end_lnum, d.end_lnum + 1, false)[1] or ''
    local _, sc = vim.str_utfindex(line, d.col)
    local _, ec = vim.str_utfindex(end_line, d.end_col)
    local text = d.lnum == d.end_lnum and line:sub(d.col + 1, d.end_col) or '(multi-line)'
    out(string.format('diag %s %s %d:%d-%d:%d %s', phase, tostring(d.code), d.lnum, sc, d.end_lnum, ec, text))
  end
  return ds
end

-- Puts the cursor in the middle of the first occurrence of needle on line
-- lnum (0-based); returns its byte column.
local function cursor_on(bufnr, lnum, needle)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
  local col = line:find(needle, 1, true)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  return col - 1
end

local function floating_text()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n'), w
    end
  end
end

local function main()
  if not check('environment', server and file, 'NGINXLS and NGINXLS_E2E_FILE must be set') then
    return finish()
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  check('filetype', vim.bo[bufnr].filetype == 'nginx', 'filetype is ' .. vim.bo[bufnr].filetype)

  local initialized, exit_code, exit_signal = false, nil, nil
  local cmd = { server, 'serve' }
  if trace then vim.list_extend(cmd, { '--trace-file', trace }) end
  local id = vim.lsp.start_client({
    name = 'nginxls',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':h'),
    flags = { debounce_text_changes = 0 }, -- 150 ms by default in 0.7
    on_init = function() initialized = true end,
    on_exit = function(code, signal) exit_code, exit_signal = code, signal end,
  })
  if not check('start', id, 'start_client returned nil') then
    return finish()
  end
  vim.lsp.buf_attach_client(bufnr, id)
  check('initialize', vim.wait(5000, function() return initialized end, 10), 'no initialize reply within 5 s')
  local client = vim.lsp.get_client_by_id(id)
  check('encoding', client and client.offset_encoding == 'utf-16', client and client.offset_encoding)

  -- Diagnostics after didOpen.
  local got = vim.wait(5000, function() return #vim.diagnostic.get(bufnr) >= 2 end, 10)
  check('diagnostics', got, 'got ' .. #vim.diagnostic.get(bufnr) .. ' diagnostics, want 2')
  for _, d in ipairs(report(bufnr, 'open')) do
    check('source ' .. tostring(d.code), d.source == 'nginxls' and d.severity == vim.diagnostic.severity.WARN,
      'source ' .. tostring(d.source) .. ', severity ' .. tostring(d.severity))
  end

  -- Hover on TLSv1 through vim.lsp.buf.hover(), which opens a floating window.
  cursor_on(bufnr, 7, 'TLSv1 ')
  vim.lsp.buf.hover()
  local hover
  vim.wait(5000, function() hover = floating_text(); return hover ~= nil end, 10)
  if check('hover', hover, 'no hover window') then
    check('hover text', hover:find('tls-protocol-legacy-tls', 1, true) and hover:find('RFC 8996', 1, true), hover)
    out('hover ' .. (hover:match('[^\n]+') or ''))
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then vim.api.nvim_win_close(w, true) end
    end
  end

  -- Code actions at TLSv1 through vim.lsp.buf.code_action(); the menu is
  -- answered the way a user would: pick the preferred quick fix.
  local titles = {}
  vim.ui.select = function(items, _, on_choice)
    local pick
    for _, item in ipairs(items) do
      local action = item[2]
      table.insert(titles, action.title)
      if action.kind == 'quickfix' and action.isPreferred and not pick then pick = item end
    end
    on_choice(pick)
  end
  cursor_on(bufnr, 7, 'TLSv1 ')
  local before = vim.api.nvim_buf_get_lines(bufnr, 7, 8, false)[1]
  vim.lsp.buf.code_action({ only = { 'quickfix' } })
  local after
  vim.wait(5000, function()
    after = vim.api.nvim_buf_get_lines(bufnr, 7, 8, false)[1]
    return after ~= before
  end, 10)
  check('code actions', #titles > 0, 'no code action offered')
  out('action ' .. table.concat(titles, ' | '))
  check('quick fix applied', after == '        add_header X-Note2 "é😀"; ssl_protocols TLSv1.2 TLSv1.3;', after)

  -- The edit went out as an incremental didChange: the legacy-TLS finding
  -- goes away and the other one stays where it was.
  local cleared = vim.wait(5000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'tls-protocol-legacy-tls' then return false end
    end
    return true
  end, 10)
  check('diagnostic cleared', cleared, 'tls-protocol-legacy-tls still shown after the fix')
  report(bufnr, 'fixed')

  vim.lsp.stop_client(id) -- shutdown, then exit
  local stopped = vim.wait(5000, function() return exit_code ~= nil end, 10)
  check('shutdown', stopped and exit_code == 0 and exit_signal == 0,
    'exit code ' .. tostring(exit_code) .. ', signal ' .. tostring(exit_signal))
  check('no editor errors', vim.v.errmsg == '', vim.v.errmsg)
  finish()
end

-- After startup, so that filetype detection is on; nested, so that :edit
-- fires the filetype autocommands.
vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true,
  callback = function()
    local ok, err = pcall(main)
    if not ok then
      check('script', false, err)
      finish()
    end
  end,
})
