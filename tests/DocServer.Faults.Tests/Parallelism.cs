// Three test classes at once, not one per core: a fault test spends most of its time waiting on the clock (an outage
// held for seconds, a lease running out, a 40 s trickle), not computing, and two at a time made this suite the
// longest part of the run. Not four: with four, up to eight app processes kept both cores busy throughout (each idle
// app polls the task hub's queues, ~13% of a core, and Azurite serves it as much again), and CI saw 2 s storage
// timeouts, gate waits and a stalled hub that no test meant to cause. Each test also has an Azurite of its own
// (FaultBed): one Azurite is one Node thread, which the apps of all the tests running had to share.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
