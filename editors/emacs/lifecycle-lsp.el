;;; lifecycle-lsp.el --- Use lifecycle-lsp with eglot  -*- lexical-binding: t; -*-

;; Put this in your init file (or load this file) to run lifecycle-lsp in Go
;; buffers through eglot, the LSP client built into Emacs 29+ (on Emacs 28,
;; install eglot from GNU ELPA or Debian's elpa-eglot, and go-mode).
;;
;; lifecycle-lsp must be on `exec-path' (go install puts it in ~/go/bin); from
;; a clone of the repository:
;;   go install ./cmd/lifecycle-lsp
;; (once the module is published:
;;   go install github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp@latest)
;;
;; eglot runs one server per major mode and project, so this entry replaces
;; gopls for Go buffers. See the Emacs section of README.md for running both.

;;; Code:

(require 'eglot)

(add-to-list 'eglot-server-programs
             '((go-mode go-ts-mode) . ("lifecycle-lsp" "--stdio")))

;; Settings, sent through workspace/configuration (section "lifecycle").
;; Set them per project in .dir-locals.el with the same shape, for example:
;;   ((nil . ((eglot-workspace-configuration
;;             . (:lifecycle (:checks (:perrequest :json-false)
;;                            :severity (:leak "error")
;;                            :diagnosticsScope "openFiles"))))))

;; Go modules are projects: find the root by go.mod when there is no VC root.
(defun lifecycle-lsp-go-mod-project (dir)
  "Return a transient project rooted at the nearest go.mod above DIR."
  (let ((root (locate-dominating-file dir "go.mod")))
    (and root (cons 'transient (expand-file-name root)))))

(add-hook 'project-find-functions #'lifecycle-lsp-go-mod-project 'append)

;; Start it automatically in Go buffers.
(add-hook 'go-mode-hook #'eglot-ensure)
(when (fboundp 'go-ts-mode)
  (add-hook 'go-ts-mode-hook #'eglot-ensure))

(provide 'lifecycle-lsp)
;;; lifecycle-lsp.el ends here
