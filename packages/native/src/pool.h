// The addon's own threads: the caller plus Size() − 1 workers. ParallelFor splits [0, n) into at most Size()
// contiguous parts, runs part 0 on the calling thread and the others on the workers, and returns when every part is
// done. Parts never change what a kernel computes (each output element is written by one part, with the same
// arithmetic), so results do not depend on the thread count. BLAS runs single-threaded inside a part
// (SetPoolThreads sets OpenBLAS to 1 thread): gemm.cc splits products across the pool itself.
#pragma once
#include <cstdint>
#include <functional>

namespace dlm {

/** Element-wise loops below this many elements per part stay on one thread (waking a thread costs tens of microseconds). */
constexpr int64_t kMinElements = int64_t{1} << 17;

/** Rows of d values per part for a row loop: at least kMinElements values, at least one row. */
inline int64_t MinRows(int64_t d) { return d >= kMinElements ? 1 : kMinElements / (d < 1 ? 1 : d); }

/** Threads used by ParallelFor (≥ 1; 1 = everything on the calling thread). */
void SetPoolThreads(int n);
int PoolThreads();

/**
 * fn(begin, end) over contiguous parts of [0, n); at most n / minPart parts (so a small n runs inline).
 * Called from inside a part, it runs inline.
 */
void ParallelFor(int64_t n, int64_t minPart, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace dlm
