"""scikit-learn MiniBatchKMeans peer of `npm run bench -- kmeans`: reads n×d float32 (raw LE), prints JSON."""
import json, sys, time, warnings
import numpy as np
from sklearn.cluster import MiniBatchKMeans

path, n, d, k, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(path, dtype='<f4').reshape(n, d)
warnings.simplefilter('ignore')
times, inertias, steps = [], [], []
for r in range(reps):
    t = time.perf_counter()
    m = MiniBatchKMeans(n_clusters=k, n_init=3, batch_size=1024, random_state=r).fit(X)
    times.append(time.perf_counter() - t)
    inertias.append(float(m.inertia_))
    steps.append(int(m.n_steps_))
print(json.dumps({'seconds': times, 'inertia': inertias, 'steps': steps, 'version': __import__('sklearn').__version__}))
