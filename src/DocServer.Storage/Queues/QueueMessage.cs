namespace DocServer.Storage.Queues;

/// <summary>A received message: its text, how often it has been received, and what deleting it takes.</summary>
public sealed record QueueMessage(string MessageId, string PopReceipt, long DequeueCount, string Text);
