using TwinCluster.Grains.Security;

namespace TwinCluster.Grains.Tests.Security;

public sealed class PasswordHashTests
{
    // Written by Mosquitto 2.0.11's own mosquitto_passwd (Debian 12): `mosquitto_passwd -b file alice secret`.
    private const string FromMosquittoPasswd =
        "$7$101$7CrQv1C0YcfwU9tU$vUGxy1sLWbX9HJ68LKhnvBIXJmAPnzGmH3FyqKsPVCUvlAkZFKNy+49Eb4z3TSYzjJlpc1gRDsZ5uNaOXRn+OQ==";

    [Fact]
    public void A_hash_written_by_mosquitto_passwd_verifies_with_its_password_only()
    {
        Assert.True(PasswordHash.Verify("secret", FromMosquittoPasswd));
        Assert.False(PasswordHash.Verify("Secret", FromMosquittoPasswd));
        Assert.False(PasswordHash.Verify("secret ", FromMosquittoPasswd));
        Assert.False(PasswordHash.Verify("", FromMosquittoPasswd));
    }

    [Fact]
    public void New_hashes_have_mosquittos_layout_a_fresh_salt_each_and_verify()
    {
        var first = PasswordHash.Hash("p4ss", iterations: 1000);
        var second = PasswordHash.Hash("p4ss", iterations: 1000);
        Assert.Matches(@"^\$7\$1000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHash.Verify("p4ss", first));
        Assert.True(PasswordHash.Verify("p4ss", second));
        Assert.False(PasswordHash.Verify("p4sS", first));
        Assert.True(PasswordHash.TryParse(PasswordHash.Hash("x"), out var iterations, out var salt, out var hash));
        Assert.Equal((PasswordHash.DefaultIterations, 12, 64), (iterations, salt.Length, hash.Length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("$6$101$7CrQv1C0YcfwU9tU$vUGx")]
    [InlineData("$7$0$7CrQv1C0YcfwU9tU$vUGxy1sLWbX9HJ68LKhnvBIXJmAPnzGmH3FyqKsPVCUvlAkZFKNy+49Eb4z3TSYzjJlpc1gRDsZ5uNaOXRn+OQ==")]
    [InlineData("$7$x$7CrQv1C0YcfwU9tU$vUGxy1sLWbX9HJ68LKhnvBIXJmAPnzGmH3FyqKsPVCUvlAkZFKNy+49Eb4z3TSYzjJlpc1gRDsZ5uNaOXRn+OQ==")]
    [InlineData("$7$101$not base64!$vUGxy1sLWbX9HJ68LKhnvBIXJmAPnzGmH3FyqKsPVCUvlAkZFKNy+49Eb4z3TSYzjJlpc1gRDsZ5uNaOXRn+OQ==")]
    [InlineData("$7$101$7CrQv1C0YcfwU9tU$dG9vc2hvcnQ=")]
    public void A_stored_value_that_is_not_a_pbkdf2_hash_never_verifies(string? stored)
    {
        Assert.False(PasswordHash.Verify("secret", stored!));
    }
}
