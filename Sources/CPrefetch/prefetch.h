// A hint to start loading a cache line that will be read soon. Swift has no way to say this;
// the simulator uses it to fetch the next event's node while it handles the current one.
static inline void ct_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }
