using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocServer.Durable.Gates;

/// <summary>
/// Writes a property that holds JSON text as that JSON, not as a string of it. The gate's state and its answers are
/// JSON already; as strings, every quote in them would be escaped, and escaped again where the task hub stores the
/// entity's state inside its own JSON, which makes a busy gate's state outgrow a table value sooner. Reads both forms
/// (state written as strings before stays readable); empty text is written as null.
/// </summary>
internal sealed class EmbeddedJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return string.Empty;
            case JsonTokenType.String:
                return reader.GetString() ?? string.Empty;
            default:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return document.RootElement.GetRawText();
                }
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (string.IsNullOrEmpty(value))
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteRawValue(value);
    }
}
