using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocServer.Core.Gates;

/// <summary>How commands and their answers travel: web defaults, enums by name (readable in the task hub's tables).</summary>
internal static class GateCommandJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
