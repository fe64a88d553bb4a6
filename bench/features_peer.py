"""scikit-image 0.19 peer of bench/features.ts: Hessian (σ=1, reflect) + eigenvalues + Frangi σ=1,2,3 (bright ridges)
on a raw int16 (z,y,x) volume. Writes eig0..2 and frangi max as raw float32 next to the input; prints one JSON line."""
import json, resource, sys, time
import numpy as np
import skimage
from skimage.feature import hessian_matrix, hessian_matrix_eigvals
from skimage.filters import frangi

path, nz, ny, nx = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
vol = np.fromfile(path, dtype='<i2').reshape(nz, ny, nx).astype(np.float32)
t0 = time.perf_counter()
H = hessian_matrix(vol, sigma=1, mode='reflect')
t1 = time.perf_counter()
ev = hessian_matrix_eigvals(H)
t2 = time.perf_counter()
del H
f = frangi(vol, sigmas=[1, 2, 3], black_ridges=False, alpha=0.5, beta=0.5, gamma=15)
t3 = time.perf_counter()
for k in range(3):
    ev[k].astype('<f4').tofile(f'{path}.eig{k}.f32')
f.astype('<f4').tofile(f'{path}.frangi.f32')
print(json.dumps({'skimage': skimage.__version__, 'hessian_s': t1 - t0, 'eigvals_s': t2 - t1, 'frangi_s': t3 - t2,
                  'total_s': t3 - t0, 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
