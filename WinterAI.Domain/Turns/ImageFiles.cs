namespace WinterAI.Domain.Turns;

/// <summary>Recognises a picture by its first bytes, so a file is named and typed by what it is, not by what a URL claims.</summary>
public static class ImageFiles
{
    /// <summary>The picture as a file Dify takes (name and MIME type), or null when it is not a JPEG, PNG, GIF or WebP picture.</summary>
    public static MediaFile? Describe(byte[] content)
    {
        ReadOnlySpan<byte> bytes = content;
        var (extension, type) = bytes switch
        {
            [0xFF, 0xD8, 0xFF, ..] => ("jpg", "image/jpeg"),
            [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => ("png", "image/png"),
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => ("gif", "image/gif"),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ("webp", "image/webp"),
            _ => (null, null),
        };
        return extension is null ? null : new MediaFile(content, $"picture.{extension}", type!);
    }
}
