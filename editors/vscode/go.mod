// editors/vscode is a Node project. This go.mod makes it a module of its own
// so that ./... of the repository skips it: npm packages in node_modules may
// ship Go files (flatted, an ESLint dependency, does).
module github.com/nginxls/nginxls/editors/vscode

go 1.24
