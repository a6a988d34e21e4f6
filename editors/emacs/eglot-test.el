;;; eglot-test.el --- the eglot setup of editors/README.md, run for real  -*- lexical-binding: t -*-
;;
;; NGINXLS_SETUP=<the README's setup block> NGINXLS_TESTDATA=editors/testdata \
;; NGINXLS_WORK=$(mktemp -d) PATH=<dir of nginxls>:$PATH \
;;   emacs --batch -Q -l editors/emacs/eglot-test.el
;;
;; Loads the setup exactly as documented, then checks file associations,
;; that eglot starts nginxls on an nginx file, diagnostics with exact ranges
;; after multi-byte text, and settings from eglot-workspace-configuration.

(require 'package)
;; -Q leaves Debian's site-lisp elpa (elpa-eglot) off the load path.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)

(defvar test-passes 0)
(defvar test-failures 0)
(defun check (ok msg)
  (if ok
      (progn (setq test-passes (1+ test-passes)) (princ (format "ok   - %s\n" msg)))
    (setq test-failures (1+ test-failures))
    (princ (format "FAIL - %s\n" msg)))
  ok)
(defun wait-for (pred &optional secs)
  (let ((deadline (+ (float-time) (or secs 10))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))
(defun env (name)
  (or (getenv name) (error "%s is not set" name)))

(condition-case err
    (progn
      (let ((version (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))))
        (check (version<= "1.9" version) (format "eglot %s" version)))
      (load (env "NGINXLS_SETUP") nil t)

      ;; The same file associations as the other editors.
      (with-temp-buffer
        (insert-file-contents (expand-file-name "filetypes.tsv" (env "NGINXLS_TESTDATA")))
        (dolist (line (split-string (buffer-string) "\n" t))
          (unless (string-prefix-p "#" line)
            (let* ((cols (split-string line "\t"))
                   (mode (assoc-default (car cols) auto-mode-alist #'string-match)))
              (check (eq (eq mode 'nginx-mode) (string= (cadr cols) "nginx"))
                     (format "mode of %s: %s" (car cols) mode))))))

      ;; Settings as a project would set them (.dir-locals.el).
      (setq-default eglot-workspace-configuration
                    '(:nginxls (:rules (:tls-early-data "off"))))
      (setq eglot-sync-connect t)
      (let* ((dir (expand-file-name "site/sites-enabled/" (env "NGINXLS_WORK")))
             (file (expand-file-name "app.conf" dir)))
        (make-directory dir t)
        (copy-file (expand-file-name "weak.conf" (env "NGINXLS_TESTDATA")) file t)
        (find-file file)
        (check (eq major-mode 'nginx-mode) "sites-enabled/app.conf opens in nginx-mode")
        ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
        (run-hooks 'post-command-hook)
        (check (wait-for (lambda () (eglot-current-server))) "eglot-ensure starts nginxls")
        (flymake-start)
        (let ((find (lambda (code)
                      (seq-find (lambda (d) (string-match-p (regexp-quote (format "[%s]" code))
                                                            (flymake-diagnostic-text d)))
                                (flymake-diagnostics)))))
          (check (wait-for (lambda () (flymake-start) (funcall find "tls-protocol-legacy-tls")))
                 "diagnostics through flymake")
          (let ((d (funcall find "tls-protocol-legacy-tls")))
            (check (and d (string= (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                                   "TLSv1"))
                   "the range covers TLSv1 after multi-byte text")
            (check (and d (eq (flymake-diagnostic-type d) 'eglot-warning)) "warning severity"))
          (check (wait-for (lambda () (flymake-start) (not (funcall find "tls-early-data"))))
                 "eglot-workspace-configuration switched tls-early-data off"))
        (let ((proc (jsonrpc--process (eglot-current-server))))
          (eglot-shutdown (eglot-current-server))
          (check (wait-for (lambda () (not (process-live-p proc))) 5) "shutdown"))
        (set-buffer-modified-p nil)))
  (error (check nil (format "error: %S" err))))

(princ (format "%d passed, %d failed\n" test-passes test-failures))
(kill-emacs (if (> test-failures 0) 1 0))
