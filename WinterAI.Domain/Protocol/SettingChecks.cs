namespace WinterAI.Domain.Protocol;

/// <summary>Checks of platform settings that every channel's options validator shares.</summary>
public static class SettingChecks
{
    /// <summary>43 base64 characters that decode (with a trailing '=') to a 32-byte AES key.</summary>
    public static void CheckAesKey(string value, string key, List<string> failures)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[33];
        if (value.Length != 43 || !Convert.TryFromBase64String(value + "=", buffer, out var written) || written != 32)
        {
            failures.Add($"{key} must be exactly 43 base64 characters (as shown on the platform's configuration page).");
        }
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
