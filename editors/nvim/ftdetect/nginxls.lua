-- nginx files beyond those Neovim already knows (nginx.conf, *.nginx,
-- /etc/nginx/*, */nginx/*.conf): the same list as the VS Code extension,
-- with Debian's extensionless site files.
-- `setf` keeps a type already decided (an apache conf.d under /etc/httpd).
-- A site file: not Apache's, and not notes or leftovers (README.md,
-- app.bak, app~, default.dpkg-dist), as nginxls check skips them too.
local function site(path)
  if path:find("/apache2?/") or path:find("/httpd/") or path:find("~$") or path:find("%.dpkg%-") then
    return nil
  end
  local ext = path:match("%.([^./]+)$")
  local notes = { md = true, txt = true, bak = true, old = true, orig = true, rej = true, swp = true, save = true }
  if ext and notes[ext] then
    return nil
  end
  return "nginx"
end

if vim.filetype and vim.filetype.add and vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({
    extension = { nginx = "nginx" },
    filename = { ["nginx.conf"] = "nginx" },
    pattern = {
      [".*%.conf%.template"] = "nginx",
      [".*/nginx/.*%.conf"] = "nginx",
      [".*/sites%-available/.*%.conf"] = "nginx",
      [".*/sites%-enabled/.*%.conf"] = "nginx",
      -- Debian's site files have no extension, or a domain's (example.com,
      -- which Neovim would take for DCL): before extensions, Apache's
      -- own sites-available aside.
      [".*/sites%-available/[^/]+"] = { site, { priority = 10 } },
      [".*/sites%-enabled/[^/]+"] = { site, { priority = 10 } },
      [".*/conf%.d/.*%.conf"] = "nginx",
      [".*/snippets/.*%.conf"] = "nginx",
    },
  })
else
  vim.cmd([[
    augroup nginxls_ftdetect
      autocmd!
      autocmd BufNewFile,BufRead *.conf.template,*/nginx/*.conf,*/sites-available/*.conf,*/sites-enabled/*.conf,*/conf.d/*.conf,*/snippets/*.conf setf nginx
      " Debian's site files: no extension, or a domain's (example.com, taken
      " for DCL), Apache's own aside.
      autocmd BufNewFile,BufRead */sites-available/*,*/sites-enabled/* if &ft !=# 'apache' && expand('<afile>:p') =~# '/sites-\(available\|enabled\)/[^/]\+$' && expand('<afile>:p') !~# '/\(apache2\?\|httpd\)/' && expand('<afile>:t') !~# '\.\(md\|txt\|bak\|old\|orig\|rej\|swp\|save\)$\|\~$\|\.dpkg-' | set filetype=nginx | endif
    augroup END
  ]])
end
