#!/usr/bin/python3
"""Peer of bench/dicom.ts: GDCM (Debian python3-gdcm) decodes a DICOM series folder to HU.

Prints one JSON line: seconds, peak RSS (MB), shape, and the SHA-256 of the int16 little-endian HU volume with
slices sorted by ImagePositionPatient z (ascending, as covseg's axial series), x fastest.
"""
import array
import hashlib
import json
import os
import resource
import sys
import time

import gdcm

FORMATS = {gdcm.PixelFormat.UINT8: 'B', gdcm.PixelFormat.INT8: 'b', gdcm.PixelFormat.UINT16: 'H', gdcm.PixelFormat.INT16: 'h'}
folder = sys.argv[1]
t0 = time.perf_counter()
slices = []
for name in sorted(os.listdir(folder)):
    reader = gdcm.ImageReader()
    reader.SetFileName(os.path.join(folder, name))
    if not reader.Read():
        continue
    image = reader.GetImage()
    cols, rows = image.GetDimension(0), image.GetDimension(1)
    raw = image.GetBuffer()
    if isinstance(raw, str):
        raw = raw.encode('utf-8', errors='surrogateescape')
    stored = array.array(FORMATS[image.GetPixelFormat().GetScalarType()])
    stored.frombytes(raw[: rows * cols * stored.itemsize])
    slope, intercept = image.GetSlope(), image.GetIntercept()
    hu = array.array('h', (int(round(v * slope + intercept)) for v in stored))
    slices.append((image.GetOrigin(2), rows, cols, hu))
seconds = time.perf_counter() - t0
slices.sort(key=lambda s: s[0])
digest = hashlib.sha256()
for s in slices:
    digest.update(s[3].tobytes() if sys.byteorder == 'little' else s[3].byteswap() or s[3].tobytes())
print(json.dumps({'seconds': round(seconds, 2), 'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  'shape': [len(slices), slices[0][1], slices[0][2]], 'sha256': digest.hexdigest()}))
