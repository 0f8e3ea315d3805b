package noreturn

import (
	"go/types"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// knownByName holds the functions whose bodies do not show what they do:
// true for those that never return (they end the process or the goroutine
// in assembly or in the runtime, or are logging calls whose exit sits
// behind configurable hooks), false for compiler intrinsics that return
// although their Go bodies do not seem to. Keys are resource.KeyOf's.
var knownByName = map[string]bool{
	"syscall.Exit":        true,
	"syscall.ExitProcess": true,
	"syscall.ExitThread":  true,

	"runtime.Goexit":     true,
	"runtime.exit":       true,
	"runtime.fatalpanic": true,
	"runtime.fatalthrow": true,

	"go.uber.org/zap.Logger.Fatal":         true,
	"go.uber.org/zap.Logger.Panic":         true,
	"go.uber.org/zap.SugaredLogger.Fatal":  true,
	"go.uber.org/zap.SugaredLogger.Fatalf": true,
	"go.uber.org/zap.SugaredLogger.Fatalw": true,
	"go.uber.org/zap.SugaredLogger.Panic":  true,
	"go.uber.org/zap.SugaredLogger.Panicf": true,
	"go.uber.org/zap.SugaredLogger.Panicw": true,

	"github.com/sirupsen/logrus.Logger.Exit":    true,
	"github.com/sirupsen/logrus.Logger.Panic":   true,
	"github.com/sirupsen/logrus.Logger.Panicf":  true,
	"github.com/sirupsen/logrus.Logger.Panicln": true,
	"github.com/sirupsen/logrus.Entry.Panicf":   true,
	"github.com/sirupsen/logrus.Entry.Panicln":  true,

	"k8s.io/klog.Exit": true, "k8s.io/klog.ExitDepth": true, "k8s.io/klog.Exitf": true, "k8s.io/klog.Exitln": true,
	"k8s.io/klog.Fatal": true, "k8s.io/klog.FatalDepth": true, "k8s.io/klog.Fatalf": true, "k8s.io/klog.Fatalln": true,
	"k8s.io/klog/v2.Exit": true, "k8s.io/klog/v2.ExitDepth": true, "k8s.io/klog/v2.Exitf": true, "k8s.io/klog/v2.Exitln": true,
	"k8s.io/klog/v2.Fatal": true, "k8s.io/klog/v2.FatalDepth": true, "k8s.io/klog/v2.Fatalf": true, "k8s.io/klog/v2.Fatalln": true,

	"internal/abi.EscapeNonString": false,
	"hash/maphash.Comparable":      false,
}

// intrinsic reports whether fn is known by name, and if so whether it
// never returns.
func intrinsic(fn *types.Func) (known, never bool) {
	never, known = knownByName[resource.KeyOf(fn)]
	return known, never
}
