// Package editors holds the editor integrations of nginxls (vscode/, nvim/,
// and the Emacs and Helix setups of README.md). Its Go tests build nginxls
// and run each integration's own tests against it.
package editors
