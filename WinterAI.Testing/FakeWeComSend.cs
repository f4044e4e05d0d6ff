namespace WinterAI.Testing;

/// <summary>One <c>POST /cgi-bin/message/send</c> the fake WeCom API received, and the errcode it answered.</summary>
/// <param name="Content">The text's or the markdown's content, whichever <paramref name="MsgType"/> says.</param>
public sealed record FakeWeComSend(
    string? ToUser,
    long? AgentId,
    string? MsgType,
    string? Content,
    string? AccessToken,
    int ErrCode,
    string RawBody)
{
    public bool Accepted => ErrCode == 0;
}
