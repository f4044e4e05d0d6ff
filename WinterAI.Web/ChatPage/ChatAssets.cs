using System.Security.Cryptography;
using System.Text;

namespace WinterAI.Web.ChatPage;

/// <summary>
/// The H5 page's files, embedded in this assembly so that every way of running WinterAI (dotnet run, the container
/// image, a test process started from the test output) serves the same bytes, with no build step and no wwwroot to
/// copy. <c>{{v}}</c> in the HTML becomes a hash of the CSS and JS, so browsers cache them until they change.
/// </summary>
public sealed class ChatAssets
{
    private const string Prefix = "WinterAI.Web.ChatPage.Assets.";

    private readonly Dictionary<string, ChatAsset> files = new(StringComparer.Ordinal);

    public ChatAssets()
    {
        var css = Read("chat.css");
        var js = Read("chat.js");
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css + "\n" + js)))[..12];
        files["chat.css"] = new ChatAsset(Encoding.UTF8.GetBytes(css), "text/css; charset=utf-8");
        files["chat.js"] = new ChatAsset(Encoding.UTF8.GetBytes(js), "text/javascript; charset=utf-8");
        ChatPage = Read("chat.html").Replace("{{v}}", Version, StringComparison.Ordinal);
        ExpiredPage = Read("expired.html").Replace("{{v}}", Version, StringComparison.Ordinal);
    }

    /// <summary>Changes whenever the CSS or JS does.</summary>
    public string Version { get; }

    public string ChatPage { get; }

    /// <summary>Shown for a forged, altered or expired link: says how to get a new one, shows nobody's data.</summary>
    public string ExpiredPage { get; }

    public ChatAsset? Find(string name) => files.GetValueOrDefault(name);

    private static string Read(string name)
    {
        using var stream = typeof(ChatAssets).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"The chat page asset {name} is not embedded in WinterAI.Web.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
