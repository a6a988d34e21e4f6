-- :NginxlsCiphers: finds the cipher-list directive under the cursor and
-- shows what `nginxls ciphers` says it enables.
local M = {}

local function is_space(c)
  return c == " " or c == "\t" or c == "\r" or c == "\n"
end

--- Splits text into nginx statements the way nginx's reader does where it
--- matters here: quotes open only at the start of a word, '#' starts a
--- comment only there, '${' does not open a block, backslash escapes.
--- Offsets are 1-based byte positions.
local function statements(text)
  local out, cur = {}, nil
  local function push(word, start)
    if not cur then
      cur = { words = {}, start = start }
    end
    table.insert(cur.words, word)
  end
  local function finish(at)
    if cur then
      cur.finish = at
      table.insert(out, cur)
      cur = nil
    end
  end
  local i, n = 1, #text
  while i <= n do
    local c = text:sub(i, i)
    if is_space(c) then
      i = i + 1
    elseif c == "#" then
      while i <= n and text:sub(i, i) ~= "\n" do
        i = i + 1
      end
    elseif c == ";" or c == "{" or c == "}" then
      finish(i)
      i = i + 1
    elseif c == '"' or c == "'" then
      local start, word = i, {}
      i = i + 1
      while i <= n and text:sub(i, i) ~= c do
        local d = text:sub(i, i)
        if d == "\\" and i < n then
          local e = text:sub(i + 1, i + 1)
          table.insert(word, (e == c or e == "\\") and e or ("\\" .. e))
          i = i + 2
        else
          table.insert(word, d)
          i = i + 1
        end
      end
      i = i + 1
      push(table.concat(word), start)
    else
      local start, word = i, {}
      while i <= n do
        local d = text:sub(i, i)
        if is_space(d) or d == ";" or (d == "{" and text:sub(i - 1, i - 1) ~= "$") then
          break
        end
        if d == "\\" and i < n then
          table.insert(word, text:sub(i + 1, i + 1))
          i = i + 2
        else
          table.insert(word, d)
          i = i + 1
        end
      end
      push(table.concat(word), start)
    end
  end
  finish(n)
  return out
end

local function is_cipher_directive(name)
  return name == "ssl_ciphers" or name:match("^[%w_]+_ssl_ciphers$") ~= nil
end

--- The directive at a 1-based byte offset, or the first one starting on the
--- offset's line. Returns { name, value, start, finish } or nil.
function M.find(text, offset)
  local found = {}
  for _, s in ipairs(statements(text)) do
    if #s.words >= 2 and is_cipher_directive(s.words[1]) then
      table.insert(found, { name = s.words[1], value = s.words[2], start = s.start, finish = s.finish })
    end
  end
  for _, d in ipairs(found) do
    if d.start <= offset and offset <= d.finish then
      return d
    end
  end
  local line_start = offset
  while line_start > 1 and text:sub(line_start - 1, line_start - 1) ~= "\n" do
    line_start = line_start - 1
  end
  local line_end = text:find("\n", offset, true) or (#text + 1)
  for _, d in ipairs(found) do
    if d.start >= line_start and d.start <= line_end then
      return d
    end
  end
  return nil
end

--- The command line of `nginxls ciphers`; "--" because cipher strings may
--- start with '-'.
function M.argv(bin, value, openssl)
  local argv = { bin, "ciphers" }
  if openssl and openssl ~= "" then
    vim.list_extend(argv, { "--openssl", openssl })
  end
  vim.list_extend(argv, { "--", value })
  return argv
end

--- Runs the command for the directive under the cursor and shows the result
--- in a scratch window. Returns the shown lines (for tests).
function M.show()
  local bufnr = vim.api.nvim_get_current_buf()
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local offset = col + 1
  for i = 1, row - 1 do
    offset = offset + #lines[i] + 1
  end
  local d = M.find(table.concat(lines, "\n"), offset)
  if not d then
    vim.notify("nginxls: put the cursor on an ssl_ciphers directive", vim.log.levels.WARN)
    return nil
  end
  local cfg = require("nginxls").effective_config()
  local argv = M.argv(cfg.cmd[1], d.value, (cfg.settings or {}).openssl)
  local out = vim.fn.system(argv)
  local result = { "# " .. d.name .. " " .. d.value, "# " .. table.concat(argv, " "), "" }
  if vim.v.shell_error ~= 0 then
    table.insert(result, "failed (exit " .. vim.v.shell_error .. "):")
  end
  vim.list_extend(result, vim.split(out, "\n", { trimempty = true }))
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, result)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  pcall(vim.api.nvim_buf_set_name, buf, "nginxls://ciphers")
  return result
end

return M
