"""PyTorch's twin of grad4j's iris recipe (samples: dev.grad4j.samples.Iris, the README's example),
on the very same split, for IrisTest: writes samples/src/test/resources/golden/iris_torch.json.

Run from the repository root with Debian's PyTorch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/golden/iris_torch.py
It reads the split grad4j makes (samples/src/test/resources/golden/iris_split.json, written by
IrisTest.main: ./mvnw -q -B -pl samples exec:java -Dexec.classpathScope=test
-Dexec.mainClass=dev.grad4j.samples.IrisTest) and trains the same recipe from ten initial seeds:
standardised on the training rows (population std, as scikit-learn), a 4-16-3 ReLU MLP, Adam 0.01,
batches of 16 shuffled each epoch, up to 200 epochs, early stopping after 20 epochs without a lower
validation loss, keeping the best epoch.
"""
import json
import os
import statistics

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "samples/src/main/resources/data/iris.csv")
SPLIT = os.path.join(ROOT, "samples/src/test/resources/golden/iris_split.json")
OUT = os.path.join(ROOT, "samples/src/test/resources/golden/iris_torch.json")

rows = np.loadtxt(DATA, delimiter=",", skiprows=1)
x_all = rows[:, :4].astype(np.float32)
y_all = rows[:, 4].astype(np.int64)
split = json.load(open(SPLIT))
train, val = split["train"], split["validation"]
mean = x_all[train].mean(axis=0)
std = x_all[train].std(axis=0)
xt = torch.tensor((x_all[train] - mean) / std)
yt = torch.tensor(y_all[train])
xv = torch.tensor((x_all[val] - mean) / std)
yv = torch.tensor(y_all[val])


def run(seed):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    best, best_acc, wait = float("inf"), None, 0
    for epoch in range(200):
        model.train()
        perm = torch.randperm(len(train))
        for i in range(0, len(train), 16):
            idx = perm[i:i + 16]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(xv)
            vl = loss_fn(out, yv).item()
            acc = (out.argmax(1) == yv).float().mean().item()
        if vl < best:
            best, best_acc, wait = vl, acc, 0
        else:
            wait += 1
            if wait >= 20:
                break
    return best_acc


accs = [run(s) for s in range(10)]
result = {
    "generator": "tools/golden/iris_torch.py",
    "torch": torch.__version__,
    "validationRows": len(val),
    "bestEpochValidationAccuracy": accs,
    "median": statistics.median(accs),
}
json.dump(result, open(OUT, "w"), indent=1)
print(json.dumps(result))
