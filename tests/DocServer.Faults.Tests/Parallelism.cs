// Four test classes at once, not one per core: a fault test spends most of its time waiting on the clock (an outage
// held for seconds, a lease running out, a 40 s trickle), not computing, and two at a time made this suite the
// longest part of the run (about 4.5 minutes).
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
