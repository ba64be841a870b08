// The Go runtime asks pthread_getattr_np() for the bounds of the C stack
// whenever a call from C arrives on a stack it does not know. PHP fibers
// (Swoole's coroutines here) each run on their own stack, so every switch
// between them and the main stack would make the next call into Go ask
// again, and for the main thread glibc answers by reading
// /proc/self/maps: about 100 µs a call. The library is linked with
// --wrap=pthread_getattr_np, so the runtime's calls come here instead:
// for the calling thread, a window around the current stack pointer that
// lies inside whatever stack it is on (the main stack is 8 MiB, a fiber's
// 2 MiB); other threads get the real answer.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>

int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);

__attribute__((visibility("hidden")))
int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr) {
	if (!pthread_equal(thread, pthread_self())) {
		return __real_pthread_getattr_np(thread, attr);
	}
	int ret = pthread_attr_init(attr);
	if (ret != 0) {
		return ret;
	}
	char here;
	uintptr_t sp = (uintptr_t)&here;
	uintptr_t lo = (sp - 64 * 1024) & ~(uintptr_t)4095;
	return pthread_attr_setstack(attr, (void *)lo, 128 * 1024);
}
