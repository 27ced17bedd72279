// The BLAS the addon links: OpenBLAS (cblas.h plus its thread and config calls) on Linux, Accelerate on macOS.
#pragma once

#if defined(DLM_ACCELERATE)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}
#endif
