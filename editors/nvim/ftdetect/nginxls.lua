-- nginx files beyond those Neovim already knows (nginx.conf, *.nginx,
-- /etc/nginx/*, */nginx/*.conf): the same list as the VS Code extension.
-- `setf` keeps a type already decided (an apache conf.d under /etc/httpd).
if vim.filetype and vim.filetype.add and vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({
    extension = { nginx = "nginx" },
    filename = { ["nginx.conf"] = "nginx" },
    pattern = {
      [".*%.conf%.template"] = "nginx",
      [".*/nginx/.*%.conf"] = "nginx",
      [".*/sites%-available/.*%.conf"] = "nginx",
      [".*/sites%-enabled/.*%.conf"] = "nginx",
      [".*/conf%.d/.*%.conf"] = "nginx",
      [".*/snippets/.*%.conf"] = "nginx",
    },
  })
else
  vim.cmd([[
    augroup nginxls_ftdetect
      autocmd!
      autocmd BufNewFile,BufRead *.conf.template,*/nginx/*.conf,*/sites-available/*.conf,*/sites-enabled/*.conf,*/conf.d/*.conf,*/snippets/*.conf setf nginx
    augroup END
  ]])
end
