package dev.parley.forum;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Stores a title edit's status as its lowercase wire name, the values the table's check allows. */
@Singleton
class TitleStatusConverter extends LowercaseEnumConverter<TitleStatus> {

    TitleStatusConverter() {
        super(TitleStatus.class);
    }
}
