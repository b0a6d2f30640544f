// CodeDeliveryDetails.Destination as AWS shows it: the email or phone number a code went to,
// masked. Pure.
//
// Evidence:
//  * Email: first character of the local part + "***@" + first character of the domain + "***",
//    e.g. "test@example.com" -> "t***@e***". AWS-verified in getmoto/moto's
//    test_sign_up_with_verified_email (@aws_verified, "t***@t***"). AWS's own docs show
//    "j****@e****" (a different star count), so the run of three is taken from the
//    verified test.
//  * Phone: "+" kept, the last 4 digits kept, one '*' per hidden digit, e.g.
//    "+15551234567" -> "+*******4567". The one real sample found, gh:aws-amplify/amplify-js#2341
//    ("Destination": "+********1234"), fits a 12-digit number under this rule; whether AWS
//    always prints one star per digit is not confirmed.
// Characters are counted as code points, so a non-ASCII first character is kept whole.
#pragma once

#include <string>
#include <string_view>

namespace cogemu::idp::rules {

std::string MaskEmail(std::string_view email);
std::string MaskPhone(std::string_view phone);
// "email" -> MaskEmail, "phone_number" -> MaskPhone; any other attribute: first character + "***".
std::string MaskDestination(std::string_view attribute_name, std::string_view value);

}  // namespace cogemu::idp::rules
