module github.com/nginxls/nginxls

go 1.24
