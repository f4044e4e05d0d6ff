using System.Security.Cryptography;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>What a stream frame carries: the content, whether it finishes the stream, and the finishing frame's pictures.</summary>
public sealed record RobotFrame(string Content, bool Finish, IReadOnlyList<RobotPicture>? Pictures = null);

/// <summary>A picture on a finishing frame (<c>msg_item</c> of <c>msgtype: image</c>): its bytes in base64 and their MD5.</summary>
public sealed record RobotPicture(string Base64, string Md5)
{
    public static RobotPicture Of(byte[] content) => new(Convert.ToBase64String(content), Convert.ToHexStringLower(MD5.HashData(content)));
}
