;;; e2e.el --- End-to-end test of lifecycle-lsp under eglot  -*- lexical-binding: t; -*-

;; Run by e2e.sh: emacs --batch -l e2e.el (not -Q: Debian's elpa packages
;; must be on the load path). Environment:
;;   E2E_TARGET    the Go file to open (in a temp copy of examples/)
;;   E2E_FINDINGS  `lifecycle-lsp check -format json' output for the workspace
;;   E2E_NEEDLE    a substring of the diagnostic to fix
;;   E2E_CONFIG    lifecycle-lsp.el, the configuration under test
;; Prints "N passed, N failed" and exits non-zero on failure.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'go-mode)
(load (getenv "E2E_CONFIG") nil t)

(setq eglot-sync-connect 30
      eglot-connect-timeout 60
      eglot-autoreconnect nil)
(remove-hook 'go-mode-hook #'eglot-ensure)   ; started by hand below, synchronously

(defvar e2e-passed 0)
(defvar e2e-failed 0)
(defvar e2e-diags (make-hash-table :test #'equal) "URI -> last published diagnostics.")
(defvar e2e-publishes 0)
(defvar e2e-mark 0)
(defvar e2e-start (float-time))

(defun e2e-log (fmt &rest args)
  (message "[emacs e2e +%.1fs] %s" (- (float-time) e2e-start) (apply #'format fmt args)))

(defun e2e-finish ()
  (message "%d passed, %d failed" e2e-passed e2e-failed)
  (kill-emacs (if (> e2e-failed 0) 1 0)))

(defun e2e-fail (fmt &rest args)
  (setq e2e-failed (1+ e2e-failed))
  (message "FAIL: %s" (apply #'format fmt args))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (e2e-finish))

(defmacro e2e-step (name &rest body)
  (declare (indent 1))
  `(progn
     (e2e-log "step: %s" ,name)
     (condition-case err
         (progn ,@body)
       (error (e2e-fail "%s: %S" ,name err)))
     (setq e2e-passed (1+ e2e-passed))
     (e2e-log "ok: %s" ,name)))

(defun e2e-wait (what timeout pred)
  "Wait up to TIMEOUT seconds for PRED, handling server output."
  (let ((deadline (+ (float-time) timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (or (funcall pred) (error "timed out after %ss waiting for %s" timeout what))))

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (setq e2e-publishes (1+ e2e-publishes))
                (puthash (plist-get params :uri) (plist-get params :diagnostics) e2e-diags))))

(defun e2e-settled (what timeout pred)
  "Wait for PRED, then check that it still holds 1.5 s later."
  (e2e-wait what timeout pred)
  (let ((until (+ (float-time) 1.5)))
    (while (< (float-time) until) (accept-process-output nil 0.1)))
  (unless (funcall pred) (error "%s did not last" what)))

(defun e2e-file-diags (uri)
  (append (gethash uri e2e-diags) nil))

(defun e2e-find-diag (uri needle)
  (cl-find-if (lambda (d) (string-search needle (plist-get d :message))) (e2e-file-diags uri)))

(defun e2e-apply-action (action)
  (let ((edit (plist-get action :edit))
        (command (plist-get action :command)))
    (when edit (eglot--apply-workspace-edit edit))
    (when command (eglot-execute-command (eglot-current-server) (plist-get command :command)
                                         (plist-get command :arguments)))))

(defun e2e-expected (file needle)
  "The finding matching NEEDLE in FILE, from the CLI's JSON, and the text after its first fix."
  (let* ((findings (with-temp-buffer
                     (insert-file-contents (getenv "E2E_FINDINGS"))
                     (json-parse-buffer :object-type 'plist :array-type 'list)))
         (findings (if (keywordp (car findings)) (or (plist-get findings :findings) (plist-get findings :diagnostics)) findings))
         (f (cl-find-if (lambda (x) (and (equal (plist-get x :file) file)
                                         (string-search needle (plist-get x :message))))
                        findings))
         (fix (car (plist-get f :fixes))))
    (unless fix (error "no finding with a fix in %s matching %S" file needle))
    (list :message (plist-get f :message)
          :title (plist-get fix :message)
          :text (with-temp-buffer
                  (set-buffer-multibyte nil)
                  (insert-file-contents-literally file)
                  ;; byte offsets, applied from the end
                  (dolist (e (sort (cl-remove-if-not (lambda (e) (equal (plist-get e :file) file))
                                                     (plist-get fix :edits))
                                   (lambda (a b) (> (plist-get a :start) (plist-get b :start)))))
                    (delete-region (1+ (plist-get e :start)) (1+ (plist-get e :end)))
                    (goto-char (1+ (plist-get e :start)))
                    (insert (encode-coding-string (or (plist-get e :new) "") 'utf-8)))
                  (decode-coding-string (buffer-string) 'utf-8)))))

(let* ((file (expand-file-name (getenv "E2E_TARGET")))
       (needle (getenv "E2E_NEEDLE"))
       (want (e2e-expected file needle))
       (uri nil)
       (diag nil))
  (e2e-step "open the file in go-mode and start eglot from eglot-server-programs"
    (find-file file)
    (unless (eq major-mode 'go-mode) (error "major mode is %s" major-mode))
    (let ((contact (eglot--guess-contact)))
      (e2e-log "contact: %S" (nth 3 contact))
      (unless (member "lifecycle-lsp" (nth 3 contact))
        (error "eglot-server-programs does not give lifecycle-lsp for go-mode: %S" (nth 3 contact)))
      (apply #'eglot contact))
    (unless (eglot-current-server) (error "no eglot server"))
    (setq uri (eglot--path-to-uri file))
    (e2e-log "project root: %s" (project-root (eglot--project (eglot-current-server)))))

  (e2e-step "the diagnostic arrives"
    (e2e-wait "the diagnostic" 90 (lambda () (e2e-find-diag uri needle)))
    (setq diag (e2e-find-diag uri needle))
    (e2e-log "diagnostic: %s (source %s, code %s)" (plist-get diag :message)
             (plist-get diag :source) (plist-get diag :code))
    (unless (equal (plist-get diag :message) (plist-get want :message))
      (error "message %S, want %S" (plist-get diag :message) (plist-get want :message)))
    (unless (and (equal (plist-get diag :source) "lifecycle") (equal (plist-get diag :code) "leak"))
      (error "source/code are %S/%S, want lifecycle/leak" (plist-get diag :source) (plist-get diag :code))))

  (e2e-step "the quick fix is offered and applies"
    (let* ((range (plist-get diag :range))
           (beg (eglot--lsp-position-to-point (plist-get range :start)))
           (end (eglot--lsp-position-to-point (plist-get range :end)))
           (actions (eglot-code-actions beg end "quickfix"))
           (action (cl-find (plist-get want :title) actions
                            :key (lambda (a) (plist-get a :title)) :test #'equal)))
      (e2e-log "quick fixes: %S" (mapcar (lambda (a) (plist-get a :title)) actions))
      (unless action (error "no quick fix titled %S" (plist-get want :title)))
      (e2e-apply-action action)
      (save-buffer)))

  (e2e-step "the file text is what the fix gives"
    (let ((got (with-temp-buffer (insert-file-contents file) (buffer-string))))
      (unless (equal got (plist-get want :text))
        (with-temp-file (concat file ".want") (insert (plist-get want :text)))
        (error "file differs from the expected text (see %s.want)" file))))

  (e2e-step "the diagnostic goes away"
    (let ((e2e-publishes-before e2e-mark))
      (e2e-wait "a publish after the edit" 60 (lambda () (> e2e-publishes e2e-publishes-before))))
    (e2e-settled "the diagnostic to clear" 60 (lambda () (not (e2e-find-diag uri needle)))))

  (e2e-step "source.fixAll.lifecycle fixes the rest of the file"
    (let ((before (length (e2e-file-diags uri)))
          (actions (eglot-code-actions (point-min) (point-max) "source.fixAll.lifecycle")))
      (e2e-log "%d diagnostics left; fix-all actions: %S" before (mapcar (lambda (a) (plist-get a :title)) actions))
      (unless actions (error "no source.fixAll.lifecycle action"))
      (let ((n e2e-publishes))
        (e2e-apply-action (car actions))
        (save-buffer)
        (e2e-wait "a publish after the edit" 60 (lambda () (> e2e-publishes n))))
      (e2e-settled "the file's diagnostics to clear" 60 (lambda () (null (e2e-file-diags uri))))))

  (e2e-step "shut the server down"
    (eglot-shutdown (eglot-current-server)))

  (e2e-finish))

;;; e2e.el ends here
