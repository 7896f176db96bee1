"""Our signature and AES code against WeChat's published examples (tests/feeds/wechat/vectors.py)."""

import pytest

from feeds.wechat import crypto

from . import vectors as v


def test_plain_message_signature_matches_the_official_example():
    assert crypto.signature(v.PLAIN_TOKEN, v.PLAIN_TIMESTAMP, v.PLAIN_NONCE) == v.PLAIN_SIGNATURE
    assert crypto.signature_matches(v.PLAIN_SIGNATURE, v.PLAIN_TOKEN, v.PLAIN_TIMESTAMP, v.PLAIN_NONCE)
    assert not crypto.signature_matches(v.PLAIN_SIGNATURE, v.PLAIN_TOKEN, v.PLAIN_TIMESTAMP, "other")
    assert not crypto.signature_matches("", v.PLAIN_TOKEN, v.PLAIN_TIMESTAMP, v.PLAIN_NONCE)


def test_jssdk_signature_matches_the_official_example():
    assert (
        crypto.jssdk_signature(v.JSAPI_TICKET, v.JSAPI_NONCESTR, v.JSAPI_TIMESTAMP, v.JSAPI_URL)
        == v.JSAPI_SIGNATURE
    )
    # The #fragment is not part of the signed URL.
    assert crypto.jssdk_signature(
        v.JSAPI_TICKET, v.JSAPI_NONCESTR, v.JSAPI_TIMESTAMP, v.JSAPI_URL + "#top"
    ) == (v.JSAPI_SIGNATURE)


def test_encrypted_mode_sample_verifies_and_decrypts():
    assert crypto.signature_matches(
        v.AES_MSG_SIGNATURE, v.AES_TOKEN, v.AES_TIMESTAMP, v.AES_NONCE, v.AES_ENCRYPT
    )
    plain = crypto.decrypt(v.AES_ENCRYPT, aes_key=v.AES_ENCODING_KEY, app_id=v.AES_APPID)
    assert plain == v.AES_PLAINTEXT_XML


def test_encryption_reproduces_the_official_samples_byte_for_byte():
    again = crypto.encrypt(
        v.AES_PLAINTEXT_XML, aes_key=v.AES_ENCODING_KEY, app_id=v.AES_APPID, random_prefix=v.AES_RANDOM_PREFIX
    )
    assert again == v.AES_ENCRYPT
    for reply, expected in ((v.JAVA_REPLY, v.JAVA_REPLY_ENCRYPTED), (v.JAVA_REPLY2, v.JAVA_REPLY2_ENCRYPTED)):
        sealed = crypto.encrypt(
            reply, aes_key=v.JAVA_ENCODING_KEY, app_id=v.JAVA_APPID, random_prefix=v.JAVA_RANDOM_PREFIX
        )
        assert sealed == expected


def test_wecom_sample_decrypts_with_the_same_cipher():
    assert crypto.signature_matches(
        v.WECOM_MSG_SIGNATURE, v.WECOM_TOKEN, v.WECOM_TIMESTAMP, v.WECOM_NONCE, v.WECOM_ENCRYPT
    )
    assert (
        crypto.decrypt(v.WECOM_ENCRYPT, aes_key=v.WECOM_ENCODING_KEY, app_id=v.WECOM_CORPID)
        == v.WECOM_PLAINTEXT_XML
    )


@pytest.mark.parametrize(
    ("ciphertext", "app_id", "message"),
    [
        (v.AES_ENCRYPT, "wx_someone_else", "不属于本公众号"),
        ("not base64!!", v.AES_APPID, "base64"),
        ("YWJj", v.AES_APPID, "长度"),
    ],
)
def test_decrypt_refuses_foreign_or_broken_messages(ciphertext, app_id, message):
    with pytest.raises(crypto.WeChatCryptoError, match=message):
        crypto.decrypt(ciphertext, aes_key=v.AES_ENCODING_KEY, app_id=app_id)


def test_bad_encoding_aes_key_is_explained():
    with pytest.raises(crypto.WeChatCryptoError, match="43"):
        crypto.encrypt("x", aes_key="short", app_id="wx")
