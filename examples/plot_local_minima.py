"""
.. _local_minima_example:

=========================================
Local minima and random restarts (n_init)
=========================================

Gradient descent stops in a local minimum, which need not be the global one;
where it stops depends on the random starting weights. XOR learnt by a
network with only two hidden sigmoid nodes shows it plainly: from some
starting points training reaches a loss of nearly 0, from others it settles
where the network gets some of the four points wrong.

``n_init`` trains from several random starting points and keeps the run with
the lowest final objective.
"""

import matplotlib.pyplot as plt
import numpy as np

from skbackprop import BackpropClassifier

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([0, 1, 1, 0])


def xor_net(random_state, n_init=1):
    return BackpropClassifier(
        hidden_layer_sizes=(2,),
        activation="logistic",
        solver="lbfgs",
        alpha=0.0,
        max_iter=500,
        n_init=n_init,
        random_state=random_state,
    )


# %%
# One start per random_state
# --------------------------
# Train from 40 random starting points and look at the final loss and
# training accuracy of each.
seeds = np.arange(40)
runs = [xor_net(seed).fit(X, y) for seed in seeds]
final_loss = np.array([run.loss_ for run in runs])
accuracy = np.array([run.score(X, y) for run in runs])
solved = accuracy == 1.0
print(f"XOR learnt from {solved.sum()} of {seeds.size} starting points")
values, counts = np.unique(final_loss.round(2), return_counts=True)
for value, count in zip(values, counts):
    print(f"  final log-loss ~ {value:.2f}: {count} run(s)")

# %%
# Restarts
# --------
# With ``n_init=k`` a fit fails only if all ``k`` of its starts fail. Each
# random_state below gives one fit with ``n_init`` starts.
rates = {}
for n_init in (1, 2, 3, 5):
    fits = [xor_net(seed, n_init=n_init).fit(X, y) for seed in seeds]
    rates[n_init] = np.mean([fit.score(X, y) == 1.0 for fit in fits])
    print(f"n_init={n_init}: XOR learnt by {rates[n_init]:.0%} of fits")

# %%
# The left panel shows where the single runs end: the runs that learn XOR
# reach a loss of nearly 0 (the log scale shows how near), the others stop
# at one of the local minima near 0.35 and 0.48. The right panel shows the
# share of fits that learn XOR growing with ``n_init``.
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
order = np.argsort(final_loss)
ax0.bar(
    np.arange(seeds.size),
    final_loss[order],
    color=np.where(solved[order], "tab:green", "tab:red"),
)
ax0.set_yscale("log")
ax0.set_xlabel("run (sorted by final loss)")
ax0.set_ylabel("final log-loss (log scale)")
ax0.set_title(
    f"{seeds.size} random starts, 2 hidden nodes\n"
    f"green: XOR learnt ({solved.sum()}), red: a local minimum ({(~solved).sum()})"
)
ax1.plot(list(rates), list(rates.values()), "o-")
ax1.set_ylim(0, 1.05)
ax1.set_xticks(list(rates))
ax1.set_xlabel("n_init")
ax1.set_ylabel("share of fits that learn XOR")
ax1.set_title("Keeping the best of n_init starts")
plt.show()

# %%
# A bigger hidden layer also helps: with more nodes there are more ways to
# split the points, and fewer starts end in a bad minimum.
for hidden in [(2,), (4,), (8,)]:
    learnt = [
        BackpropClassifier(
            hidden_layer_sizes=hidden, solver="lbfgs", alpha=0.0, random_state=seed
        )
        .fit(X, y)
        .score(X, y)
        == 1.0
        for seed in seeds
    ]
    print(
        f"hidden_layer_sizes={hidden}: XOR learnt from {np.mean(learnt):.0%} of starts"
    )
