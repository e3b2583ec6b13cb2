package consistency
import ("testing";"fmt";"runtime")
func TestDbg(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4 * runtime.NumCPU()))
	for _, sc := range scenarios {
		hits := map[string]int{}
		ill := 0
		const n = 100
		for seed := uint64(0); seed < n; seed++ {
			got := sc.run(t, "refactored", seed+1000, "")
			for _, k := range sc.shows { if got.Anomalies[k] > 0 { hits[k]++ } }
			if got.Linearizable == "illegal" { ill++ }
		}
		fmt.Println(sc.name, hits, "illegal", ill, "of", n)
	}
}
