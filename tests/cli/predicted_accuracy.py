"""predicted_accuracy.py PREDICTIONS.csv LABELS.idx1-ubyte.gz ACCURACY: the share
of mlp predict's "class" column that matches the IDX labels must equal ACCURACY
(as mlp evaluate printed it, to 4 decimals). The classes come by name, and the
probability columns after "class" are headed by the names in class-id order."""
import csv
import gzip
import sys

import numpy as np

predictions_path, labels_path, expected = sys.argv[1], sys.argv[2], float(sys.argv[3])
with gzip.open(labels_path) as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
with open(predictions_path) as f:
    reader = csv.DictReader(f)
    names = reader.fieldnames[reader.fieldnames.index("class") + 1:]
    classes = np.array([names.index(row["class"]) for row in reader])
accuracy = float((classes == labels).mean())
print(f"{len(classes)} predictions, accuracy {accuracy:.4f}")
sys.exit(0 if abs(accuracy - expected) < 5e-5 else 1)
