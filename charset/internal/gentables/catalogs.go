package main

import (
	"encoding/binary"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

func training(locale, lang string) string {
	dir := lang
	if lang == "en" {
		dir = "fr"
	}
	files, _ := filepath.Glob(filepath.Join(locale, dir, "LC_MESSAGES", "*.mo"))
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		if excluded[filepath.Base(f)] {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		for _, m := range readMO(data, lang == "en") {
			b.WriteString(clean(m))
			b.WriteByte('\n')
			if b.Len() > maxTraining {
				return b.String()
			}
		}
	}
	if b.Len() == 0 {
		log.Fatalf("no training text for %s in %s", lang, locale)
	}
	return b.String()
}

// readMO returns the translations (or the ids) of a .mo file whose header
// declares UTF-8.
func readMO(data []byte, ids bool) []string {
	if len(data) < 20 {
		return nil
	}
	var order binary.ByteOrder = binary.LittleEndian
	if order.Uint32(data) != 0x950412de {
		order = binary.BigEndian
	}
	n := int(order.Uint32(data[8:]))
	orig, trans := int(order.Uint32(data[12:])), int(order.Uint32(data[16:]))
	str := func(table, i int) string {
		l, off := int(order.Uint32(data[table+8*i:])), int(order.Uint32(data[table+8*i+4:]))
		return string(data[off : off+l])
	}
	var out []string
	for i := 0; i < n; i++ {
		if str(orig, i) == "" {
			if !strings.Contains(strings.ToLower(str(trans, i)), "charset=utf-8") {
				return nil
			}
			continue
		}
		s := str(trans, i)
		if ids {
			s = str(orig, i)
		}
		if !utf8.ValidString(s) {
			continue
		}
		out = append(out, strings.Split(s, "\x00")...)
	}
	return out
}

// clean drops printf and brace directives and the accelerator marks _ and &.
func clean(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			j := i + 1
			for j < len(s) && strings.IndexByte("0123456789.*$-+ #'lhjztLqI", s[j]) >= 0 {
				j++
			}
			if j < len(s) && isASCIILetter(rune(s[j])) {
				i = j
				b.WriteByte(' ')
				continue
			}
		case c == '_' || c == '&':
			continue
		case c == '\n' || c == '\t':
			c = ' '
		}
		b.WriteByte(c)
	}
	return b.String()
}
