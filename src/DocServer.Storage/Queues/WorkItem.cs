namespace DocServer.Storage.Queues;

/// <summary>A received queue message: its text, how often it was received, and the receipt that lets its receiver update or delete it.</summary>
public sealed record WorkItem(string MessageId, string PopReceipt, long DequeueCount, string Text);
