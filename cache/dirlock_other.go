//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package cache

import "os"

// dirSupported says whether Dir works on this system: it needs flock(2),
// and the replace-while-open semantics of rename(2) that Windows lacks.
const dirSupported = false

func flock(*os.File) error            { return errNoFlockHere }
func tryFlock(*os.File) (bool, error) { return false, errNoFlockHere }
