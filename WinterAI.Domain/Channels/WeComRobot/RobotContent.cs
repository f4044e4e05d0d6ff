using System.Text;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// What a stream frame may carry: Markdown of at most <see cref="MaxBytes"/> UTF-8 bytes. A longer answer is cut at the
/// same place in every frame (so each frame still extends the one before) and its finishing frame ends with a pointer
/// to the rest.
/// </summary>
public static class RobotContent
{
    /// <summary>WeCom's limit on a stream frame's content.</summary>
    public const int MaxBytes = 20_480;

    /// <summary>Ends a finishing frame whose answer did not fit.</summary>
    public const string MorePointer = "\n\n……（回答较长，发送 1 查看全文）";

    /// <summary>Ends the frame a stream is finished with when the answer is not ready within the stream's window.</summary>
    public const string LaterNote = "\n\n（回答还在生成，完成后会另外发给你）";

    private static readonly int Room = MaxBytes - Math.Max(Encoding.UTF8.GetByteCount(MorePointer), Encoding.UTF8.GetByteCount(LaterNote));

    /// <summary>The content of a frame showing <paramref name="markdown"/> (all of it, or the first part that fits).</summary>
    public static string Frame(string markdown, bool finish)
    {
        if (Encoding.UTF8.GetByteCount(markdown) <= MaxBytes && (finish || Encoding.UTF8.GetByteCount(markdown) <= Room))
        {
            return markdown;
        }

        var cut = Cut(markdown);
        return finish ? cut + MorePointer : cut;
    }

    /// <summary>The first part of <paramref name="markdown"/> that leaves room for a pointer, never splitting a character.</summary>
    public static string Cut(string markdown)
    {
        var bytes = 0;
        var index = 0;
        foreach (var rune in markdown.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > Room)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            index += rune.Utf16SequenceLength;
        }

        return markdown[..index];
    }
}
