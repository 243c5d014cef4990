"""The adaptive engine. Its matrices are tiny (tens by hundreds): BLAS threads only spin against
each other on a kiosk's two cores (a step's p95 went from 0.5 to 15 ms), so it runs on one."""

from threadpoolctl import threadpool_limits

threadpool_limits(limits=1, user_api="blas")
