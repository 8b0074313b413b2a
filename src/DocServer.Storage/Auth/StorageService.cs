namespace DocServer.Storage.Auth;

/// <summary>Which signing form a request needs.</summary>
public enum StorageService
{
    Table,
    Blob,
    Queue,
}
