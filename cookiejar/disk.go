package cookiejar

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// keepCorruptAside renames the file at path out of the way if it exists and
// does not parse as a cookie file.
func keepCorruptAside(path string, now time.Time) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cookiejar: saving %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("cookiejar: saving %s: not a regular file", path)
	}
	data, err := readLimited(path)
	if err == nil {
		if _, _, err = parseFile(data); err == nil {
			return nil
		}
	}
	if !errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("cookiejar: saving %s: checking the file it replaces: %w", path, err)
	}
	aside := path + ".corrupt-" + now.UTC().Format("20060102T150405.000000000Z")
	if _, err := os.Lstat(aside); err == nil {
		return fmt.Errorf("cookiejar: saving %s: %s already exists", path, aside)
	}
	if err := os.Rename(path, aside); err != nil {
		return fmt.Errorf("cookiejar: saving %s: moving the corrupt file aside: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// writeAtomic replaces path with data: temporary file in the same folder,
// write, fsync, rename, fsync of the folder. wrap, when not nil, wraps the
// temporary file (tests make it fail).
func writeAtomic(path string, data []byte, wrap func(io.Writer) io.Writer) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cookiejar: saving %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
			err = fmt.Errorf("cookiejar: saving %s: %w", path, err)
		}
	}()
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return err
	}
	var w io.Writer = f
	if wrap != nil {
		w = wrap(f)
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir flushes a folder's entries (a rename) to disk. Windows cannot
// open a folder for that and does not need it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("cookiejar: syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("cookiejar: syncing %s: %w", dir, err)
	}
	return nil
}

// readLimited reads at most maxFileSize bytes of path; a larger file is
// corrupt.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, &CorruptError{Path: path, Line: 1, Reason: fmt.Sprintf("larger than %d bytes", maxFileSize)}
	}
	return data, nil
}
