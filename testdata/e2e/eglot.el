;;; eglot.el --- drive nginxls through Emacs 28 + eglot 1.9  -*- lexical-binding: t -*-

;; Run by lsp/e2e_test.go as
;;   NGINXLS=bin/nginxls NGINXLS_E2E_FILE=nginx.conf emacs -Q --batch -l eglot.el
;; It prints one line per check, `ok NAME' or `not ok NAME: why', plus
;; `diag PHASE CODE L:C-L:C TEXT' for every flymake diagnostic (columns in
;; UTF-16 units, converted back from buffer positions by eglot's own
;; `eglot-lsp-abiding-column'; TEXT is what the diagnostic covers in the
;; buffer) and exits non-zero on any failure.

;;; Code:

;; -Q drops site-lisp from the load path, where Debian installs eglot.
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)

(defvar e2e-failures 0)
(defvar e2e-server (getenv "NGINXLS"))
(defvar e2e-file (getenv "NGINXLS_E2E_FILE"))
(defvar e2e-trace (getenv "NGINXLS_TRACE"))

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun e2e-check (name ok &optional why)
  (if ok
      (e2e-out "ok %s" name)
    (setq e2e-failures (1+ e2e-failures))
    (e2e-out "not ok %s: %s" name why))
  ok)

(defun e2e-finish ()
  (e2e-out (if (zerop e2e-failures) "done" (format "failed %d" e2e-failures)))
  (when (buffer-live-p (get-file-buffer e2e-file))
    (with-current-buffer (get-file-buffer e2e-file) (set-buffer-modified-p nil)))
  (kill-emacs (if (zerop e2e-failures) 0 1)))

(defun e2e-wait (pred &optional secs)
  "Wait up to SECS (5) seconds for PRED, serving process output meanwhile."
  (let ((deadline (+ (float-time) (or secs 5))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.01))
    (funcall pred)))

(defun e2e-diagnostics ()
  "The buffer's diagnostics, after asking flymake for the latest."
  (flymake-start)
  (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))

(defun e2e-code (d)
  "The rule id of diagnostic D, from eglot's \"nginxls [CODE]: message\" text."
  (let ((text (flymake-diagnostic-text d)))
    (and (string-match "\\[\\([^]]+\\)\\]" text) (match-string 1 text))))

(defun e2e-lsp-pos (pos)
  (save-excursion
    (goto-char pos)
    (format "%d:%d" (1- (line-number-at-pos pos)) (eglot-lsp-abiding-column))))

(defun e2e-report (phase)
  (let ((ds (e2e-diagnostics)))
    (dolist (d ds)
      (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
        (e2e-out "diag %s %s %s-%s %s" phase (e2e-code d) (e2e-lsp-pos beg) (e2e-lsp-pos end)
                 (replace-regexp-in-string "\n" "\\\\n" (buffer-substring-no-properties beg end)))))
    ds))

(defun e2e-goto (line needle)
  "Put point in the middle of the first NEEDLE on LINE (0-based)."
  (goto-char (point-min))
  (forward-line line)
  (search-forward needle (line-end-position))
  (goto-char (- (point) 3)))

(defun e2e-main ()
  (unless (e2e-check "environment" (and e2e-server e2e-file) "NGINXLS and NGINXLS_E2E_FILE must be set")
    (e2e-finish))
  ;; The script uses eglot internals (double-dash names) of this version.
  (let ((v (package-desc-version (cadr (assq 'eglot package-alist)))))
    (e2e-check "eglot version" (equal v '(1 9)) (format "eglot %S, the script is written for 1.9" v)))
  (define-derived-mode nginx-mode prog-mode "nginx")
  (setq eglot-sync-connect t                     ; `eglot' returns after initialize
        eglot-confirm-server-initiated-edits nil
        eglot-events-buffer-size 0)
  (find-file e2e-file)
  (nginx-mode)
  ;; eglot 1.9 wants a list of modes; the last argument is the languageId.
  (eglot '(nginx-mode) (cons 'transient (file-name-directory e2e-file)) 'eglot-lsp-server
         (append (list e2e-server "serve") (and e2e-trace (list "--trace-file" e2e-trace)))
         "nginx")
  (let ((server (eglot-current-server)))
    (e2e-check "initialize" (and server (jsonrpc-running-p server)) "no running server")
    (unless server (e2e-finish))

    ;; Diagnostics after didOpen, through flymake.
    (e2e-check "diagnostics" (e2e-wait (lambda () (>= (length (e2e-diagnostics)) 2)))
               (format "%d diagnostics, want 2" (length (e2e-diagnostics))))
    (dolist (d (e2e-report "open"))
      (e2e-check (format "severity %s" (e2e-code d)) (eq (flymake-diagnostic-type d) 'eglot-warning)
                 (flymake-diagnostic-type d)))

    ;; Hover on TLSv1, through eglot's eldoc function.
    (e2e-goto 7 "TLSv1 ")
    (let (hover)
      (eglot-hover-eldoc-function (lambda (info &rest _) (when info (setq hover info))))
      (e2e-wait (lambda () hover))
      (when (e2e-check "hover" hover "no hover")
        (e2e-check "hover text" (and (string-match-p "tls-protocol-legacy-tls" hover)
                                     (string-match-p "RFC 8996" hover))
                   hover)
        ;; eglot asks for plain text unless markdown-mode is installed.
        (e2e-check "hover plain text" (not (string-match-p "\\*\\*\\|`" hover)) hover)
        (e2e-out "hover %s" (car (split-string hover "\n")))))

    ;; Code actions at TLSv1 through `eglot-code-actions', as the command
    ;; does interactively: it asks which quick fix to apply (the rule's fix,
    ;; or a suppression comment), offering the preferred one as the default,
    ;; which is taken as a user pressing RET would.
    (e2e-goto 7 "TLSv1 ")
    (let ((actions (eglot-code-actions (point) nil "quickfix")))
      (e2e-check "code actions" actions "no code action offered")
      (e2e-out "action %s" (mapconcat (lambda (a) (plist-get a :title)) actions " | ")))
    (let ((last-nonmenu-event ?\r))      ; a key, not a mouse click: no popup menu
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt _coll &optional _pred _req _init _hist def &rest _) def)))
        (eglot-code-actions (point) nil "quickfix" t)))
    (let ((line (save-excursion (goto-char (point-min)) (forward-line 7)
                                (buffer-substring-no-properties (point) (line-end-position)))))
      (e2e-check "quick fix applied"
                 (string= line "        add_header X-Note2 \"é😀\"; ssl_protocols TLSv1.2 TLSv1.3;") line))
    ;; eglot sends didChange from an idle timer, and idle timers never run
    ;; in --batch: send it the way the timer would.
    (eglot--signal-textDocument/didChange)
    (e2e-check "diagnostic cleared"
               (e2e-wait (lambda () (let ((ds (e2e-diagnostics)))
                                      (and ds (not (member "tls-protocol-legacy-tls" (mapcar #'e2e-code ds)))))))
               "tls-protocol-legacy-tls still shown after the fix")
    (e2e-report "fixed")

    ;; jsonrpc-shutdown kills the process at once unless it has already
    ;; exited; give it the moment an interactive session would, so that
    ;; the exit status is the server's own.
    (let ((proc (jsonrpc--process server))
          (stderr (jsonrpc-stderr-buffer server)))
      (advice-add 'jsonrpc-shutdown :before
                  (lambda (&rest _) (e2e-wait (lambda () (not (process-live-p proc))) 3))
                  '((name . e2e-let-exit)))
      (eglot-shutdown server nil nil t)
      (e2e-check "shutdown" (and (eq (process-status proc) 'exit) (zerop (process-exit-status proc)))
                 (format "%s %s" (process-status proc) (process-exit-status proc)))
      (when (buffer-live-p stderr)
        (with-current-buffer stderr
          (let ((text (replace-regexp-in-string "^Process .* stderr finished\n?" "" (buffer-string))))
            (e2e-check "no server errors" (string= (string-trim text) "") text))))))
  (e2e-finish))

(condition-case err
    (e2e-main)
  (error (e2e-check "script" nil (error-message-string err))
         (e2e-finish)))

;;; eglot.el ends here
