#!/usr/bin/env python3
"""The admin MFA and device forms through boto3, against the emulator at $COGNITO_ENDPOINT.

AdminSetUserSettings, AdminSetUserMFAPreference and AdminGetUser's MFA members, an SMS_MFA and a
SOFTWARE_TOKEN_MFA sign-in answered with AdminRespondToAuthChallenge (the TOTP code computed here
from the EMULATOR clock, which this script freezes), ConfirmDevice with a verifier computed as
amazon-cognito-identity-js computes it, AdminListDevices / AdminGetDevice / AdminUpdateDeviceStatus
/ AdminForgetDevice, and, when the installed botocore knows them, GetUserAuthFactors,
AdminGetUserAuthFactors and GetTokensFromRefreshToken.

Prints one line per check ("ok - NAME", "FAIL - NAME -- detail", "skip - NAME -- reason") and a
summary line "admin_forms: P passed, F failed, S skipped"; exits 1 when a check failed.
Run by boto3-admin.test.mjs.
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import traceback
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["COGNITO_ENDPOINT"].rstrip("/")
PASSWORD = "Passw0rd!"
USERNAME = "pyuser"
PHONE = "+15555550123"
SMS_CONFIG = {"SnsCallerArn": "arn:aws:iam::000000000000:role/sns", "ExternalId": "x"}
DEVICE_KEY_PREFIX = "us-east-1_"
ATTRIBUTE_NAMES = sorted([
    "device_status", "device_name", "dev:device_arn", "dev:device_owner", "last_ip_used",
    "dev:device_remembered_status", "dev:device_sdk",
])
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A4"
    "31B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B"
    "1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED52907709"
    "6966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695"
    "5817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575"
    "D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B181"
    "77B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)

counts = {"ok": 0, "FAIL": 0, "skip": 0}


def report(kind, name, detail=""):
    counts[kind] += 1
    print("%s - %s%s" % (kind, name, (" -- " + detail) if detail else ""), flush=True)


def check(name, cond, detail=""):
    report("ok" if cond else "FAIL", name, "" if cond else detail)
    return cond


def equal(name, got, want):
    return check(name, got == want, "got %r, want %r" % (got, want))


def expect_error(name, fn, code, message=None):
    try:
        fn()
    except ClientError as e:
        err = e.response.get("Error", {})
        ok = err.get("Code") == code and (message is None or err.get("Message") == message)
        return check(name, ok, "got %s %r, want %s %r" % (err.get("Code"), err.get("Message"), code, message))
    return check(name, False, "succeeded, want %s" % code)


def control(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(ENDPOINT + path, data=data, method=method,
                                 headers={"content-type": "application/json", "connection": "close"})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read().decode() or "{}")


def emulator_now():
    return int(control("GET", "/_emulator/clock")["now"])


def totp(secret, at):
    """RFC 6238: HMAC-SHA1, 6 digits, 30-s steps."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def pad(n):
    """Java BigInteger.toByteArray() of a non-negative integer."""
    b = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
    return b"\x00" + b if b[0] & 0x80 else b


def device_verifier(group_key, device_key):
    """DeviceSecretVerifierConfig as amazon-cognito-identity-js builds it: v = g^x mod N."""
    password = base64.b64encode(os.urandom(40)).decode()
    salt = int.from_bytes(os.urandom(16), "big")
    inner = hashlib.sha256(("%s%s:%s" % (group_key, device_key, password)).encode()).digest()
    x = int(hashlib.sha256(pad(salt) + inner).hexdigest(), 16)
    v = pow(2, x, N)
    return {"PasswordVerifier": base64.b64encode(pad(v)).decode(), "Salt": base64.b64encode(pad(salt)).decode()}


def mfa_members(idp, pool_id):
    user = idp.admin_get_user(UserPoolId=pool_id, Username=USERNAME)
    return {k: user[k] for k in ("UserMFASettingList", "PreferredMfaSetting", "MFAOptions") if k in user}


def attrs(device):
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def main():
    idp = boto3.client(
        "cognito-idp", endpoint_url=ENDPOINT, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
    ops = set(idp.meta.service_model.operation_names)

    # A frozen emulator clock, 5 s into a 30-s step: codes for now and now+30 are unambiguous.
    wall = int(time.time())
    now = wall - wall % 30 + 35
    control("POST", "/_emulator/clock", {"freeze": True})
    control("POST", "/_emulator/clock", {"set": now})
    equal("emulator clock frozen", emulator_now(), now)

    pool_id = idp.create_user_pool(
        PoolName="py-admin-forms", SmsConfiguration=SMS_CONFIG,
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": True},
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}", "SmsConfiguration": SMS_CONFIG},
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="py-admin",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username=USERNAME, MessageAction="SUPPRESS",
                          TemporaryPassword="Tmp-" + PASSWORD,
                          UserAttributes=[{"Name": "phone_number", "Value": PHONE}])
    idp.admin_set_user_password(UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True)

    def admin_auth():
        return idp.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD})

    # --- AdminGetUser / AdminSetUserSettings / AdminSetUserMFAPreference
    equal("admin_get_user: no MFA members for a fresh user", mfa_members(idp, pool_id), {})
    expect_error("admin_set_user_mfa_preference TOTP without a token",
                 lambda: idp.admin_set_user_mfa_preference(
                     UserPoolId=pool_id, Username=USERNAME,
                     SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}),
                 "InvalidParameterException", "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA")
    idp.admin_set_user_settings(UserPoolId=pool_id, Username=USERNAME,
                                MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])
    m = mfa_members(idp, pool_id)
    equal("admin_set_user_settings SMS: UserMFASettingList", m.get("UserMFASettingList"), ["SMS_MFA"])
    equal("admin_set_user_settings SMS: MFAOptions", m.get("MFAOptions"),
          [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])
    idp.admin_set_user_settings(UserPoolId=pool_id, Username=USERNAME, MFAOptions=[])
    equal("admin_set_user_settings []: MFA members gone", mfa_members(idp, pool_id), {})
    expect_error("admin_set_user_settings unknown user",
                 lambda: idp.admin_set_user_settings(UserPoolId=pool_id, Username="ghost", MFAOptions=[]),
                 "UserNotFoundException", "User does not exist.")

    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=USERNAME,
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    m = mfa_members(idp, pool_id)
    equal("admin_set_user_mfa_preference SMS: UserMFASettingList", m.get("UserMFASettingList"), ["SMS_MFA"])
    equal("admin_set_user_mfa_preference SMS: PreferredMfaSetting", m.get("PreferredMfaSetting"), "SMS_MFA")

    # --- SMS_MFA sign-in answered by admin_respond_to_auth_challenge (code from the outbox)
    ch = admin_auth()
    equal("admin_initiate_auth: SMS_MFA challenge", ch.get("ChallengeName"), "SMS_MFA")
    equal("SMS_MFA delivery medium", ch.get("ChallengeParameters", {}).get("CODE_DELIVERY_DELIVERY_MEDIUM"), "SMS")
    msgs = control("GET", "/_emulator/messages?userPoolId=%s&username=%s" % (pool_id, USERNAME))["messages"]
    sms_code = msgs[-1]["code"] if msgs else ""
    check("SMS_MFA code in the outbox", bool(msgs) and msgs[-1].get("reason") == "MFA", repr(msgs[-1:] or None))
    expect_error("SMS_MFA wrong code",
                 lambda: idp.admin_respond_to_auth_challenge(
                     UserPoolId=pool_id, ClientId=client_id, ChallengeName="SMS_MFA", Session=ch["Session"],
                     ChallengeResponses={"USERNAME": USERNAME, "SMS_MFA_CODE": "%06d" % ((int(sms_code or 0) + 1) % 1000000)}),
                 "CodeMismatchException", "Invalid code or auth state for the user.")
    res = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="SMS_MFA", Session=ch["Session"],
        ChallengeResponses={"USERNAME": USERNAME, "SMS_MFA_CODE": sms_code})
    first = res.get("AuthenticationResult", {})
    check("SMS_MFA answered: tokens", "AccessToken" in first and "RefreshToken" in first, repr(res.keys()))
    check("SMS_MFA answered: NewDeviceMetadata",
          first.get("NewDeviceMetadata", {}).get("DeviceKey", "").startswith(DEVICE_KEY_PREFIX), repr(first.get("NewDeviceMetadata")))
    access = first["AccessToken"]

    # --- TOTP with the access token, enabled by the admin, answered by the admin
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    check("associate_software_token SecretCode is 52 base32 characters",
          len(secret) == 52 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret), secret)
    expect_error("verify_software_token wrong code",
                 lambda: idp.verify_software_token(AccessToken=access,
                                                   UserCode="%06d" % ((int(totp(secret, now)) + 1) % 1000000)),
                 "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
    equal("verify_software_token", idp.verify_software_token(AccessToken=access, UserCode=totp(secret, now))["Status"],
          "SUCCESS")
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username=USERNAME,
                                      SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    m = mfa_members(idp, pool_id)
    equal("admin_get_user: both factors", sorted(m.get("UserMFASettingList", [])), ["SMS_MFA", "SOFTWARE_TOKEN_MFA"])
    equal("admin_get_user: TOTP preferred", m.get("PreferredMfaSetting"), "SOFTWARE_TOKEN_MFA")
    equal("admin_get_user: MFAOptions (SMS still on)", m.get("MFAOptions"),
          [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])

    ch = admin_auth()
    equal("admin_initiate_auth: SOFTWARE_TOKEN_MFA challenge (preferred)", ch.get("ChallengeName"), "SOFTWARE_TOKEN_MFA")
    code = totp(secret, emulator_now() + 30)  # this step's code was spent by verify_software_token
    res = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=ch["Session"],
        ChallengeResponses={"USERNAME": USERNAME, "SOFTWARE_TOKEN_MFA_CODE": code})
    second = res.get("AuthenticationResult", {})
    check("SOFTWARE_TOKEN_MFA answered: tokens", "AccessToken" in second, repr(res.keys()))
    check("SOFTWARE_TOKEN_MFA answered: NewDeviceMetadata", "NewDeviceMetadata" in second, repr(second.keys()))
    ch = admin_auth()
    expect_error("the same TOTP code twice",
                 lambda: idp.admin_respond_to_auth_challenge(
                     UserPoolId=pool_id, ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=ch["Session"],
                     ChallengeResponses={"USERNAME": USERNAME, "SOFTWARE_TOKEN_MFA_CODE": code}),
                 "CodeMismatchException", "Invalid code or auth state for the user.")

    # --- devices
    keys = []
    for n, tokens in enumerate((first, second), 1):
        meta = tokens["NewDeviceMetadata"]
        r = idp.confirm_device(AccessToken=tokens["AccessToken"], DeviceKey=meta["DeviceKey"], DeviceName="py-%d" % n,
                               DeviceSecretVerifierConfig=device_verifier(meta["DeviceGroupKey"], meta["DeviceKey"]))
        equal("confirm_device %d: UserConfirmationNecessary" % n, r.get("UserConfirmationNecessary"), True)
        keys.append(meta["DeviceKey"])
    listed = idp.admin_list_devices(UserPoolId=pool_id, Username=USERNAME)["Devices"]
    equal("admin_list_devices: both confirmed devices", sorted(d["DeviceKey"] for d in listed), sorted(keys))
    page1 = idp.admin_list_devices(UserPoolId=pool_id, Username=USERNAME, Limit=1)
    check("admin_list_devices Limit 1: one device and a token",
          len(page1["Devices"]) == 1 and bool(page1.get("PaginationToken")), repr(page1))
    if page1.get("PaginationToken"):
        page2 = idp.admin_list_devices(UserPoolId=pool_id, Username=USERNAME, Limit=1,
                                       PaginationToken=page1["PaginationToken"])
        equal("admin_list_devices page 2", sorted(d["DeviceKey"] for d in page1["Devices"] + page2["Devices"]), sorted(keys))
        check("admin_list_devices page 2: no further token", "PaginationToken" not in page2, repr(page2.get("PaginationToken")))

    device = idp.admin_get_device(UserPoolId=pool_id, Username=USERNAME, DeviceKey=keys[0])["Device"]
    a = attrs(device)
    equal("admin_get_device: the seven attributes", sorted(a), ATTRIBUTE_NAMES)
    equal("admin_get_device: device_name", a.get("device_name"), "py-1")
    equal("admin_get_device: dev:device_owner", a.get("dev:device_owner"), "%s.%s" % (USERNAME, pool_id))
    equal("admin_get_device: dev:device_arn", a.get("dev:device_arn"),
          "arn:aws:cognito-idp:us-east-1:000000000000:owner/%s.%s/device/%s" % (USERNAME, pool_id, keys[0]))
    equal("admin_get_device: not remembered (opt-in pool)", a.get("dev:device_remembered_status"), "not_remembered")
    check("admin_get_device: DeviceCreateDate is a datetime", hasattr(device.get("DeviceCreateDate"), "year"),
          repr(device.get("DeviceCreateDate")))

    idp.admin_update_device_status(UserPoolId=pool_id, Username=USERNAME, DeviceKey=keys[0],
                                   DeviceRememberedStatus="remembered")
    a = attrs(idp.admin_get_device(UserPoolId=pool_id, Username=USERNAME, DeviceKey=keys[0])["Device"])
    equal("admin_update_device_status remembered", a.get("dev:device_remembered_status"), "remembered")
    equal("list_devices (user) shows the remembered device",
          [d["DeviceKey"] for d in idp.list_devices(AccessToken=first["AccessToken"])["Devices"]], [keys[0]])

    if "GetTokensFromRefreshToken" in ops:
        r = idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=first["RefreshToken"], DeviceKey=keys[0])
        check("get_tokens_from_refresh_token with the device key", "AccessToken" in r.get("AuthenticationResult", {}), repr(r))
    else:
        report("skip", "get_tokens_from_refresh_token", "not in this botocore")

    idp.admin_forget_device(UserPoolId=pool_id, Username=USERNAME, DeviceKey=keys[0])
    expect_error("admin_get_device after admin_forget_device",
                 lambda: idp.admin_get_device(UserPoolId=pool_id, Username=USERNAME, DeviceKey=keys[0]),
                 "ResourceNotFoundException")
    equal("admin_list_devices after admin_forget_device",
          [d["DeviceKey"] for d in idp.admin_list_devices(UserPoolId=pool_id, Username=USERNAME)["Devices"]], [keys[1]])
    expect_error("refresh after admin_forget_device",
                 lambda: idp.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                 AuthParameters={"REFRESH_TOKEN": first["RefreshToken"],
                                                                 "DEVICE_KEY": keys[0]}),
                 "NotAuthorizedException", "Invalid Refresh Token.")

    # --- auth factors (newer botocore only)
    if "GetUserAuthFactors" in ops:
        r = idp.get_user_auth_factors(AccessToken=second["AccessToken"])
        equal("get_user_auth_factors Username", r.get("Username"), USERNAME)
        check("get_user_auth_factors lists PASSWORD and SOFTWARE_TOKEN",
              {"PASSWORD", "SOFTWARE_TOKEN"} <= set(r.get("ConfiguredUserAuthFactors", [])), repr(r))
        equal("get_user_auth_factors PreferredMfaSetting", r.get("PreferredMfaSetting"), "SOFTWARE_TOKEN_MFA")
    else:
        report("skip", "get_user_auth_factors", "not in this botocore")
    if "AdminGetUserAuthFactors" in ops:
        r = idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username=USERNAME)
        check("admin_get_user_auth_factors lists PASSWORD and SOFTWARE_TOKEN",
              {"PASSWORD", "SOFTWARE_TOKEN"} <= set(r.get("ConfiguredUserAuthFactors", [])), repr(r))
    else:
        report("skip", "admin_get_user_auth_factors", "not in this botocore")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # an unexpected error is one failed check, with its traceback
        report("FAIL", "unexpected error", traceback.format_exc().strip().replace("\n", "\n    "))
    print("admin_forms: %d passed, %d failed, %d skipped" % (counts["ok"], counts["FAIL"], counts["skip"]))
    sys.exit(1 if counts["FAIL"] else 0)
