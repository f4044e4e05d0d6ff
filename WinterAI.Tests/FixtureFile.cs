using System.Text.Json;

namespace WinterAI.Tests;

/// <summary>Reads files under <c>Fixtures/</c>, which the build copies next to the test assembly.</summary>
internal static class FixtureFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static T FromJson<T>(params string[] parts) =>
        JsonSerializer.Deserialize<T>(Text(parts), Json) ?? throw new InvalidDataException($"{Path.Combine(parts)} is empty.");

    public static IEnumerable<string> Names(string extension, params string[] folder) =>
        Directory.EnumerateFiles(PathOf(folder), "*." + extension).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
