// Command charset measures relay's charset guess on the corpus of
// charset/testdata/corpus, the same corpus and the same notion of a correct
// answer as charset_normalizer_bench.py: a guess is correct when it decodes
// the sample to the same text as the true encoding (the sample's folder).
//
// From the bench module:
//
//	go run ./charset [-v] [-n rounds] [corpus dir]
//	python3 charset/charset_normalizer_bench.py
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/relayhttp/relay/charset"
)

func main() {
	verbose := flag.Bool("v", false, "print every wrong guess")
	rounds := flag.Int("n", 20, "timed rounds over the corpus")
	flag.Parse()
	root := filepath.Join("..", "charset", "testdata", "corpus")
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	type sample struct {
		enc, name string
		b         []byte
	}
	var samples []sample
	dirs, err := os.ReadDir(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, d := range dirs {
		files, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(root, d.Name(), f.Name()))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			samples = append(samples, sample{d.Name(), f.Name(), b})
		}
	}

	right, total := map[string]int{}, map[string]int{}
	ok := 0
	for _, s := range samples {
		got := charset.Determine("", s.b).Name
		total[s.enc]++
		if charset.Decode(s.b, got) == charset.Decode(s.b, s.enc) {
			right[s.enc]++
			ok++
		} else if *verbose {
			fmt.Printf("wrong: %s/%s -> %s\n", s.enc, s.name, got)
		}
	}
	start := time.Now()
	for range *rounds {
		for _, s := range samples {
			charset.Determine("", s.b)
		}
	}
	per := time.Since(start) / time.Duration(*rounds*len(samples))

	var encs []string
	for e := range total {
		encs = append(encs, e)
	}
	sort.Strings(encs)
	for _, e := range encs {
		fmt.Printf("%-14s %3d/%3d\n", e, right[e], total[e])
	}
	fmt.Printf("relay charset: accuracy %d/%d = %.1f%%, %.3f ms per sample\n",
		ok, len(samples), 100*float64(ok)/float64(len(samples)), float64(per.Nanoseconds())/1e6)
}
