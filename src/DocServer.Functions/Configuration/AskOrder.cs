namespace DocServer.Functions.Configuration;

/// <summary>G11: how an ask's model calls are ordered against other asks' calls at the gate.</summary>
internal enum AskOrder
{
    /// <summary>By the ask's arrival: an ask that has its evidence gets its synthesis before later asks start.</summary>
    PerAsk,

    /// <summary>By each call's own arrival: a burst runs all evidence calls first, then all syntheses.</summary>
    PerCall,
}
