package cachetests

import (
	"fmt"
	"io"
	"strings"
)

// Symbol is the mark cache-tests.fyi shows for a test of kind k that counts
// as o: ✅ passed, ⛔️ failed, ⚠️ optimal test failed, Y or N for a check,
// 🔹 setup failed, ⁉️ harness failed, ⚪️ dependency failed, - not run.
func Symbol(k Kind, o Outcome) string {
	switch o {
	case Passed:
		if k == Check {
			return "Y"
		}
		return "✅"
	case Failed:
		switch k {
		case Optimal:
			return "⚠️"
		case Check:
			return "N"
		}
		return "⛔️"
	case SetupFailed:
		return "🔹"
	case HarnessFailed:
		return "⁉️"
	case DependencyFailed:
		return "⚪️"
	}
	return "-"
}

// Markdown writes r for documentation: a summary of tests passed per kind,
// then for each test group a heading and a table with a row per test and a
// column of symbols (Symbol, by Counted) for r and for each of others (such
// as Published()), then the tests r skipped, each with its reason.
func (r *Report) Markdown(w io.Writer, others ...*Report) error {
	all := append([]*Report{r}, others...)
	var b strings.Builder
	b.WriteString("| tests passed |")
	for _, rep := range all {
		fmt.Fprintf(&b, " %s |", cell(rep.Name))
	}
	b.WriteString("\n| --- |" + strings.Repeat(" ---: |", len(all)) + "\n")
	for _, k := range []Kind{Required, Optimal, Check} {
		fmt.Fprintf(&b, "| %s |", k)
		for _, rep := range all {
			t := rep.Totals("", k)
			fmt.Fprintf(&b, " %d of %d |", t.Passed, t.Run())
		}
		b.WriteString("\n")
	}
	b.WriteString("\nOf the tests run: passed of those not skipped, a test counting as passed only if the tests it depends on pass.\n")

	for _, g := range r.Groups {
		fmt.Fprintf(&b, "\n## %s\n\n| test | kind |", cell(g.Name))
		for _, rep := range all {
			fmt.Fprintf(&b, " %s |", cell(rep.Name))
		}
		b.WriteString("\n| --- | --- |" + strings.Repeat(" :---: |", len(all)) + "\n")
		var skipped []Result
		for _, res := range g.Results {
			fmt.Fprintf(&b, "| %s `%s` | %s |", cell(res.Name), res.ID, res.Kind)
			for _, rep := range all {
				fmt.Fprintf(&b, " %s |", Symbol(res.Kind, rep.Counted(res.ID)))
			}
			b.WriteString("\n")
			if res.Outcome == Skipped {
				skipped = append(skipped, res)
			}
		}
		var totals []string
		for _, k := range []Kind{Required, Optimal} {
			if t := r.Totals(g.ID, k); t.Run() > 0 {
				totals = append(totals, fmt.Sprintf("%s, %s tests: %d of %d passed\n", cell(r.Name), k, t.Passed, t.Run()))
			}
		}
		if len(totals) > 0 {
			b.WriteString("\n" + strings.Join(totals, ""))
		}
		if len(skipped) > 0 {
			fmt.Fprintf(&b, "\nSkipped for %s:\n\n", cell(r.Name))
			for _, res := range skipped {
				fmt.Fprintf(&b, "- `%s`: %s\n", res.ID, res.Reason)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cell makes s fit in a table cell: one line, pipes escaped.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
