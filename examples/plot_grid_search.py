"""
.. _grid_search_example:

===================================
Tuning a pipeline with GridSearchCV
===================================

:class:`~skbackprop.BackpropClassifier` is an ordinary scikit-learn
estimator: it can sit at the end of a :class:`~sklearn.pipeline.Pipeline`,
be cloned, and have its parameters searched by
:class:`~sklearn.model_selection.GridSearchCV` through the usual
``step__parameter`` names.

Here the size of the hidden layer and the L2 penalty ``alpha`` are tuned on
the breast cancer data (569 samples, 30 features), with the features
standardised inside the pipeline so that each cross-validation fold scales
with its own training rows only.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("net", BackpropClassifier(solver="lbfgs", max_iter=300, random_state=0)),
    ]
)
param_grid = {
    "net__hidden_layer_sizes": [(2,), (8,), (32,)],
    "net__alpha": [1e-3, 1e-1, 1.0, 10.0, 100.0],
}
search = GridSearchCV(
    pipe, param_grid, cv=StratifiedKFold(5, shuffle=True, random_state=0)
)
search.fit(X_train, y_train)

print("best parameters:", search.best_params_)
print(f"best mean cross-validated accuracy: {search.best_score_:.4f}")
print(
    f"test accuracy of the refitted best pipeline: {search.score(X_test, y_test):.4f}"
)

# %%
# The grid
# --------
# ``cv_results_`` holds the mean and spread of the validation accuracy of
# every combination.
results = pd.DataFrame(search.cv_results_)
table = results.pivot_table(
    index="param_net__alpha",
    columns=results["param_net__hidden_layer_sizes"].astype(str),
    values="mean_test_score",
)[[str(h) for h in param_grid["net__hidden_layer_sizes"]]]
print(table.round(4))

# %%
# A heat map of the same table. The largest ``alpha`` shrinks the weights
# towards 0 and underfits badly; across the smaller values the differences
# are a few samples out of a fold of about 85, and the size of the hidden
# layer matters little on this data. So that one bad row does not squeeze
# the others into a single colour, the colour scale spans the scores within
# 5 points of the best; the cells below it are grey.
scores = table.to_numpy()
best = scores.max()
vmin = max(scores.min(), best - 0.05)
cmap = plt.get_cmap("viridis").with_extremes(under="0.8")
fig, ax = plt.subplots(figsize=(6.5, 4.8), layout="constrained")
image = ax.imshow(scores, cmap=cmap, vmin=vmin, vmax=best, aspect="auto")
ax.set_xticks(range(table.shape[1]), table.columns)
ax.set_yticks(range(table.shape[0]), [f"{a:g}" for a in table.index])
ax.set_xlabel("net__hidden_layer_sizes")
ax.set_ylabel("net__alpha")
for (i, j), value in np.ndenumerate(scores):
    # Dark text on the light cells (grey, green, yellow), white on the dark.
    light = value < vmin or image.norm(value) > 0.55
    ax.text(
        j,
        i,
        f"{value:.3f}" + ("\nbest" if value == best else ""),
        ha="center",
        va="center",
        fontsize=11,
        color="black" if light else "white",
        weight="bold" if value == best else "normal",
    )
fig.colorbar(image, ax=ax, label="mean CV accuracy", extend="min")
ax.set_title(
    "GridSearchCV over the pipeline\nStandardScaler -> BackpropClassifier",
    fontsize=11,
)
plt.show()
