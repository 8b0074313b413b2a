namespace DocServer.Storage;

/// <summary>The naming rule that blob containers and queues share.</summary>
internal static class StorageNames
{
    /// <summary>3-63 lowercase letters, digits or '-'; throws naming the resource otherwise.</summary>
    public static string RequireLowercase(string? name, string resource, string parameterName)
    {
        if (name is null || name.Length is < 3 or > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"{resource} name '{name}' must be 3-63 lowercase letters, digits or '-'.", parameterName);
        }

        return name;
    }
}
