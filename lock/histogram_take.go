package lock

// TakeInto moves h's counts into dst and leaves h empty. Each bucket is
// swapped out atomically, so a value recorded meanwhile lands in h or in
// dst, never nowhere: a sampler can take a histogram that others go on
// recording into (the runner's timeline does, every 100 ms).
func (h *Histogram) TakeInto(dst *Histogram) {
	for b := range h.buckets {
		if h.buckets[b].Load() != 0 {
			dst.buckets[b].Add(h.buckets[b].Swap(0))
		}
	}
}
