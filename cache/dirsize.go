package cache

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The size file holds the total size of the key files as the writers of
// every process count it, and when a scan last set it: two big-endian
// int64, bytes and Unix nanoseconds. It is an estimate (a crash between a
// rename and its count, files removed by hand), which every scan corrects,
// and which is read and written under its own flock.
const sizeFile = "size"

// addSize adds delta to the shared total and reports whether a scan is due:
// the total is over the bound, or the last scan is a day old.
func (d *dir) addSize(delta int64) (scanDue bool) {
	total, last, ok := d.counter(func(total int64, last time.Time) (int64, time.Time) {
		return max(total+delta, 0), last
	})
	return ok && (total > d.max || d.now().Sub(last) >= scanEvery)
}

// counter replaces the total and time of the last scan in the size file by
// what fn returns for them, under the file's lock, and returns the new
// ones. Errors are dropped (ok is false), the count being an estimate; a
// size file that cannot be read counts zero, never scanned, which makes a
// scan due, which rewrites it.
func (d *dir) counter(fn func(total int64, lastScan time.Time) (int64, time.Time)) (total int64, lastScan time.Time, ok bool) {
	d.sizeMu.Lock()
	defer d.sizeMu.Unlock()
	f, err := os.OpenFile(filepath.Join(d.root, sizeFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return 0, time.Time{}, false
	}
	defer f.Close()
	if flock(f) != nil {
		return 0, time.Time{}, false
	}
	total, lastScan = fn(readCounter(f))
	writeCounter(f, total, lastScan)
	return total, lastScan, true
}

// readCounter reads the size file; an unreadable one counts zero, never
// scanned.
func readCounter(f *os.File) (total int64, lastScan time.Time) {
	var b [16]byte
	if n, _ := f.ReadAt(b[:], 0); n != len(b) {
		return 0, time.Time{}
	}
	return int64(binary.BigEndian.Uint64(b[:8])), time.Unix(0, int64(binary.BigEndian.Uint64(b[8:])))
}

func writeCounter(f *os.File, total int64, lastScan time.Time) {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(total))
	binary.BigEndian.PutUint64(b[8:], uint64(lastScan.UnixNano()))
	_, _ = f.WriteAt(b[:], 0)
}

// scan walks the directory, unless another process is at it: it removes
// expired and corrupt files and the temporary files of crashed writers,
// then, if the total is over the bound, the least recently used files down
// to seven eighths of it, and writes the total it found to the size file.
// Writes by others during the scan are added to it, so the total stays an
// estimate, never undone by the scan.
func (d *dir) scan() {
	lf, err := os.OpenFile(filepath.Join(d.root, "scan.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer lf.Close()
	if ok, _ := tryFlock(lf); !ok {
		return
	}
	before, _, _ := d.counter(func(t int64, l time.Time) (int64, time.Time) { return t, l })
	now := d.now()
	type file struct {
		n  string
		fi fs.FileInfo
	}
	var files []file
	var total int64
	d.walk(func(folder, nm string, temp bool) {
		if temp {
			removeOrphan(filepath.Join(folder, nm), now)
			return
		}
		f, fi, h, _, err := d.readFile(nm)
		if err == nil {
			f.Close()
		}
		if fi == nil {
			return // gone, or unreadable
		}
		if (err == nil && !now.Before(h.expires)) || errors.Is(err, errCorrupt) {
			d.removeIfSame(nm, fi, false)
			return
		}
		files = append(files, file{nm, fi})
		total += fi.Size()
	})
	if total > d.max {
		slices.SortFunc(files, func(a, b file) int { return a.fi.ModTime().Compare(b.fi.ModTime()) })
		for _, f := range files {
			if total <= d.max-d.max/8 {
				break
			}
			if d.removeIfSame(f.n, f.fi, false) {
				total -= f.fi.Size()
			}
		}
	}
	d.counter(func(after int64, _ time.Time) (int64, time.Time) {
		return max(total+after-before, 0), now
	})
}

// walk calls fn for every key file and temporary file under the root, with
// the folder it is in; temp says which kind it is. Anything else (files
// that are not relay's) is left alone.
func (d *dir) walk(fn func(folder, name string, temp bool)) {
	for _, l1 := range readDirNames(d.root) {
		if len(l1) != 2 || !isHex(l1) {
			continue
		}
		for _, l2 := range readDirNames(filepath.Join(d.root, l1)) {
			if len(l2) != 2 || !isHex(l2) {
				continue
			}
			folder := filepath.Join(d.root, l1, l2)
			for _, nm := range readDirNames(folder) {
				switch {
				case len(nm) == 64 && isHex(nm) && nm[:2] == l1 && nm[2:4] == l2:
					fn(folder, nm, false)
				case len(nm) > 70 && nm[0] == '.' && isHex(nm[1:65]) && strings.HasPrefix(nm[65:], ".tmp-"):
					fn(folder, nm, true)
				}
			}
		}
	}
}

func readDirNames(folder string) []string {
	f, err := os.Open(folder)
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	return names
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// removeOrphan removes the temporary file at path if it is older than
// tempGrace and no writer holds its lock: its writer crashed, for a live
// writer locks its file from creation to rename or removal.
func removeOrphan(path string, now time.Time) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || now.Sub(fi.ModTime()) < tempGrace {
		return
	}
	if ok, _ := tryFlock(f); ok {
		_ = os.Remove(path)
	}
}
